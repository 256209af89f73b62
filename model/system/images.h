// Executable files on the simulated machine's root: the ELF image for a `program` block's
// assembled code, /usr/bin/spin (machine code built in), and the images of host-implemented
// programs, whose "procsim" note names the program the kernel's registry runs. The registry is
// filled here from the userland library's table of programs (model/userland/program_table.h).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "model/kern/kernel.h"
#include "model/machine/asm/assembler.h"
#include "model/vfs/memfs.h"
#include "model/vm/elf_image.h"
#include "sim/base/bytes.h"

namespace procsim::system {

// e_machine and class of an ABI's executables.
vm::ElfClass elf_class_for(machine::Abi abi);
std::uint16_t elf_machine_for(machine::Abi abi);

// The executable for an assembled program: text r-x, data rw- (when there is any), the entry
// at _start, the ABI tag note with `osrel` (none when 0).
base::Bytes program_image_file(const machine::Image& image, std::int32_t osrel);
// The executable of a host-implemented program: one page of text and the note naming it.
base::Bytes host_image_file(machine::Abi abi, std::string_view name, std::int32_t osrel);

// Host images take inode numbers from here on, in row order, so that installing them leaves the
// numbers of the boot layout and of files scenarios create untouched.
inline constexpr std::uint64_t kHostImageFirstIno = 5000;

// Writes the file of every program of userland's kProgramTable (mode 0555, root:wheel, at
// `time`) and registers the program under the name its note carries.
void install_host_images(kern::Kernel& kernel, vfs::Memfs& root, machine::Abi abi, std::int32_t osrel,
                         vfs::Timespec time);

// /usr/bin/spin, a program that counts in a register for ever: machine code for the ABI, so a
// debugger can step it and watch the register change. It takes the inode number after the host
// images'.
void install_spin(vfs::Memfs& root, machine::Abi abi, std::int32_t osrel, vfs::Timespec time);

}  // namespace procsim::system
