// Executable files on the simulated machine's root: the ELF image for a `program` block's
// assembled code, and the images of host-implemented programs, whose "procsim" note names the
// program the kernel's registry runs. The registry is filled here from kHostImages; programs
// the userland library implements add their rows to it.
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

// One host-implemented program: where its file lives, the name its note carries, and its code.
struct HostImageRow {
  std::string_view path;
  std::string_view name;
  int (*entry)(kern::UserContext& context);
};

// true(1) and false(1): exit 0 and exit 1.
int run_true(kern::UserContext& context);
int run_false(kern::UserContext& context);

inline constexpr std::array kHostImages = {
    HostImageRow{"/usr/bin/true", "true", run_true},
    HostImageRow{"/usr/bin/false", "false", run_false},
};

// Host images take inode numbers from here on, in row order, so that installing them leaves the
// numbers of the boot layout and of files scenarios create untouched.
inline constexpr std::uint64_t kHostImageFirstIno = 5000;

// Writes every kHostImages file (mode 0555, root:wheel, at `time`) and registers its program.
void install_host_images(kern::Kernel& kernel, vfs::Memfs& root, machine::Abi abi, std::int32_t osrel,
                         vfs::Timespec time);

}  // namespace procsim::system
