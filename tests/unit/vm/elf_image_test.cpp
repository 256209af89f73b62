// The ELF writer's files read back with the same segments, entry, osrel and host-program name,
// carry the header bytes FreeBSD's activator checks, and the reader refuses what is not ELF.
#include <doctest/doctest.h>

#include "model/vm/elf_image.h"

namespace procsim::vm {
namespace {

ElfImageSpec sample(ElfClass elf_class, std::uint16_t machine, VmOffset text) {
  ElfImageSpec spec;
  spec.elf_class = elf_class;
  spec.machine = machine;
  spec.entry = text + 4;
  spec.segments.push_back(
      {text, base::Bytes{0x90, 0x90, 0x90, 0x90, 0xc3}, 0, VM_PROT_READ | VM_PROT_EXECUTE});
  spec.segments.push_back({text + 0x201000, base::Bytes{1, 2, 3}, 0x2000, VM_PROT_READ | VM_PROT_WRITE});
  spec.osrel = 803000;
  spec.host_program = "true";
  return spec;
}

TEST_CASE("an ELF64 image reads back as written") {
  base::Bytes file = write_elf(sample(ElfClass::Elf64, EM_X86_64, 0x400000));
  CHECK(file[4] == 2);                 // ELFCLASS64
  CHECK(file[5] == 1);                 // little-endian
  CHECK(file[7] == ELFOSABI_FREEBSD);  // EI_OSABI
  CHECK(base::load_le<std::uint16_t>(file, 18) == EM_X86_64);
  auto info = read_elf(file);
  REQUIRE(info.ok());
  CHECK(info.value().entry == 0x400004);
  CHECK(info.value().osrel == 803000);
  CHECK(info.value().host_program == std::string("true"));
  REQUIRE(info.value().segments.size() == 2);
  const ImageSegment& text = info.value().segments[0];
  CHECK(text.vaddr == 0x400000);
  CHECK(text.file_bytes == 5);
  CHECK(text.prot == (VM_PROT_READ | VM_PROT_EXECUTE));
  CHECK(text.file_offset % kPageSize == 0);
  CHECK(file[text.file_offset + 4] == 0xc3);
  const ImageSegment& data = info.value().segments[1];
  CHECK(data.mem_bytes == 0x2000);
  CHECK(data.prot == (VM_PROT_READ | VM_PROT_WRITE));
}

TEST_CASE("an ELF32 image for i386 has the 52-byte header and reads back") {
  ElfImageSpec spec = sample(ElfClass::Elf32, EM_386, 0x08048000);
  spec.host_program.clear();
  base::Bytes file = write_elf(spec);
  CHECK(file[4] == 1);                                  // ELFCLASS32
  CHECK(base::load_le<std::uint16_t>(file, 40) == 52);  // e_ehsize
  CHECK(base::load_le<std::uint32_t>(file, 28) == 52);  // e_phoff
  auto info = read_elf(file);
  REQUIRE(info.ok());
  CHECK(info.value().machine == EM_386);
  CHECK(info.value().entry == 0x08048004);
  CHECK_FALSE(info.value().host_program.has_value());
  CHECK(info.value().segments.size() == 2);
}

TEST_CASE("files that are not ELF executables are refused") {
  base::Bytes script{'#', '!', '/', 'b', 'i', 'n', '/', 's', 'h', '\n'};
  CHECK(read_elf(script).error() == ElfReject::NotElf);
  CHECK(read_elf(base::Bytes{}).error() == ElfReject::NotElf);
  base::Bytes file = write_elf(sample(ElfClass::Elf64, EM_X86_64, 0x400000));
  base::Bytes truncated(file.begin(), file.begin() + 40);
  CHECK(read_elf(truncated).error() == ElfReject::Unsupported);
  file[16] = 3;  // ET_DYN
  CHECK(read_elf(file).error() == ElfReject::Unsupported);
}

}  // namespace
}  // namespace procsim::vm
