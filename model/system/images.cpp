// Executable images; see images.h.
#include "model/system/images.h"

#include "model/userland/program_table.h"
#include "sim/base/assert.h"

namespace procsim::system {

vm::ElfClass elf_class_for(machine::Abi abi) {
  return machine::abi_info(abi).pointer_size_bytes == 8 ? vm::ElfClass::Elf64 : vm::ElfClass::Elf32;
}

std::uint16_t elf_machine_for(machine::Abi abi) {
  switch (abi) {
    case machine::Abi::I386:
    case machine::Abi::Ia32: return vm::EM_386;
    case machine::Abi::Amd64: return vm::EM_X86_64;
    case machine::Abi::Arm64: return vm::EM_AARCH64;
    case machine::Abi::Riscv64: return vm::EM_RISCV;
  }
  PROCSIM_UNREACHABLE();
}

base::Bytes program_image_file(const machine::Image& image, std::int32_t osrel) {
  vm::ElfImageSpec spec;
  spec.elf_class = elf_class_for(image.abi);
  spec.machine = elf_machine_for(image.abi);
  spec.entry = image.entry;
  spec.osrel = osrel;
  PROCSIM_ASSERT(vm::page_aligned(image.text.address));
  spec.segments.push_back({image.text.address, image.text.bytes, 0, vm::VM_PROT_READ | vm::VM_PROT_EXECUTE});
  if (!image.data.bytes.empty()) {
    PROCSIM_ASSERT(vm::page_aligned(image.data.address));
    spec.segments.push_back({image.data.address, image.data.bytes, 0, vm::VM_PROT_READ | vm::VM_PROT_WRITE});
  }
  return vm::write_elf(spec);
}

base::Bytes host_image_file(machine::Abi abi, std::string_view name, std::int32_t osrel) {
  const machine::AbiInfo& info = machine::abi_info(abi);
  vm::ElfImageSpec spec;
  spec.elf_class = elf_class_for(abi);
  spec.machine = elf_machine_for(abi);
  spec.entry = info.text_base;
  spec.osrel = osrel;
  spec.host_program = std::string(name);
  // The text says what the program is; the host runs it, so no instruction here is executed.
  std::string text = "procsim host program " + std::string(name);
  spec.segments.push_back(
      {info.text_base, base::Bytes(text.begin(), text.end()), 0, vm::VM_PROT_READ | vm::VM_PROT_EXECUTE});
  return vm::write_elf(spec);
}

void install_host_images(kern::Kernel& kernel, vfs::Memfs& root, machine::Abi abi, std::int32_t osrel,
                         vfs::Timespec time) {
  vfs::MemfsNodeSpec spec;
  spec.mode = 0555;
  spec.at(time);
  std::uint64_t ino = kHostImageFirstIno;
  for (const userland::ProgramRow& row : userland::kProgramTable) {
    spec.ino = ino++;
    PROCSIM_ASSERT(root.make_file(row.path, host_image_file(abi, row.name, osrel), spec).ok());
    const userland::ProgramRow* program = &row;
    kernel.register_host_image(std::string(row.name),
                               [program] { return userland::make_image_program(*program); });
  }
}

namespace {

// spin's source for each ABI that a machine runs natively: zero a register, then add one to it
// and jump back, for ever.
struct SpinSource {
  machine::Abi abi;
  std::string_view source;
};
constexpr std::array kSpinSources = {
    SpinSource{machine::Abi::I386,
               "\t.text\n_start:\n\txorl\t%eax, %eax\nagain:\n\tincl\t%eax\n\tjmp\tagain\n"},
    SpinSource{machine::Abi::Amd64,
               "\t.text\n_start:\n\txorl\t%eax, %eax\nagain:\n\tincq\t%rax\n\tjmp\tagain\n"},
    SpinSource{machine::Abi::Arm64,
               "\t.text\n_start:\n\tmov\tx0, #0\nagain:\n\tadd\tx0, x0, #1\n\tb\tagain\n"},
    SpinSource{machine::Abi::Riscv64,
               "\t.text\n_start:\n\tli\ta0, 0\nagain:\n\taddi\ta0, a0, 1\n\tj\tagain\n"},
};

}  // namespace

void install_spin(vfs::Memfs& root, machine::Abi abi, std::int32_t osrel, vfs::Timespec time) {
  const SpinSource* found = nullptr;
  for (const SpinSource& row : kSpinSources) {
    if (row.abi == abi) found = &row;
  }
  PROCSIM_ASSERT(found != nullptr);
  auto image = machine::assemble(abi, found->source);
  PROCSIM_ASSERT(image.ok());
  vfs::MemfsNodeSpec spec;
  spec.mode = 0555;
  spec.at(time);
  spec.ino = kHostImageFirstIno + userland::kProgramTable.size();
  PROCSIM_ASSERT(root.make_file("/usr/bin/spin", program_image_file(image.value(), osrel), spec).ok());
}

}  // namespace procsim::system
