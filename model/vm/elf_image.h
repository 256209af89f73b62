// Executable files as exec sees them: a writer for the small static ELF executables procsim
// installs (ELF64 for amd64, arm64 and riscv64, ELF32 for i386; ET_EXEC with OSABI FreeBSD, one
// PT_LOAD per segment, a PT_NOTE holding the FreeBSD ABI tag with the osrel and, for a program
// implemented by the host, a "procsim" note naming it) and a reader for the headers the image
// activator checks. Section headers, dynamic linking and interpreters are not modelled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/vm/vmspace.h"
#include "sim/base/bytes.h"
#include "sim/base/result.h"

namespace procsim::vm {

enum class ElfClass : std::uint8_t { Elf32 = 1, Elf64 = 2 };

// e_machine values (sys/elf_common.h).
inline constexpr std::uint16_t EM_386 = 3;
inline constexpr std::uint16_t EM_X86_64 = 62;
inline constexpr std::uint16_t EM_AARCH64 = 183;
inline constexpr std::uint16_t EM_RISCV = 243;
// EI_OSABI of a FreeBSD binary (ELFOSABI_FREEBSD).
inline constexpr std::uint8_t ELFOSABI_FREEBSD = 9;

// One loadable segment's contents: file bytes at vaddr, zero-filled up to mem_bytes.
struct ElfSegmentSpec {
  VmOffset vaddr = 0;
  base::Bytes bytes;
  std::uint64_t mem_bytes = 0;  // 0: as many as the file bytes
  Prot prot = VM_PROT_READ;
};

struct ElfImageSpec {
  ElfClass elf_class = ElfClass::Elf64;
  std::uint16_t machine = EM_X86_64;
  VmOffset entry = 0;
  std::vector<ElfSegmentSpec> segments;  // in address order, page-aligned vaddr
  std::int32_t osrel = 0;                // NT_FREEBSD_ABI_TAG value; 0: no ABI tag note
  std::string host_program;              // non-empty: the "procsim" note naming the program
};

// What the image activator learns from the headers.
struct ElfInfo {
  ElfClass elf_class = ElfClass::Elf64;
  std::uint16_t machine = 0;
  std::uint8_t osabi = 0;
  VmOffset entry = 0;
  std::vector<ImageSegment> segments;  // the PT_LOADs, in header order
  std::optional<std::int32_t> osrel;   // from the ABI tag note
  std::optional<std::string> host_program;
};

base::Bytes write_elf(const ElfImageSpec& spec);

// Why a file is not an image this activator takes: not ELF at all (another activator may try),
// or an ELF file that is malformed or not an executable for FreeBSD.
enum class ElfReject : std::uint8_t { NotElf, Unsupported };

// Parses the ELF header, program headers and notes of `file` (the whole file).
base::Result<ElfInfo, ElfReject> read_elf(base::ByteSpan file);

}  // namespace procsim::vm
