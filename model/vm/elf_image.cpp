// ELF executables after the ELF specification and FreeBSD's sys/elf*.h layouts: the file starts
// with the ELF header and program headers, then the notes; each segment's bytes start on a page
// of their own at an offset congruent to its address, as a linker lays them out. The reader
// accepts what the writer writes and what a static FreeBSD executable looks like.
#include "model/vm/elf_image.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "sim/base/assert.h"

namespace procsim::vm {

namespace {

constexpr std::uint16_t ET_EXEC = 2;
constexpr std::uint32_t PT_LOAD = 1;
constexpr std::uint32_t PT_NOTE = 4;
constexpr std::uint32_t PF_X = 1;
constexpr std::uint32_t PF_W = 2;
constexpr std::uint32_t PF_R = 4;
constexpr std::uint32_t NT_FREEBSD_ABI_TAG = 1;
constexpr std::uint32_t kHostProgramNote = 1;
constexpr std::string_view kFreeBSDNoteName = "FreeBSD";
constexpr std::string_view kHostNoteName = "procsim";
constexpr std::size_t kMaxPhdrs = 64;
constexpr std::size_t kMaxHostNameBytes = 256;

// Header sizes and field offsets that differ between the classes.
struct Layout {
  std::size_t ehdr_bytes;
  std::size_t phdr_bytes;
  std::size_t word_bytes;
};

constexpr Layout layout_of(ElfClass elf_class) {
  return elf_class == ElfClass::Elf64 ? Layout{64, 56, 8} : Layout{52, 32, 4};
}

std::size_t align4(std::size_t value) { return (value + 3) & ~std::size_t{3}; }

void put(base::Bytes& out, std::size_t offset, std::uint64_t value, std::size_t bytes) {
  PROCSIM_ASSERT(offset + bytes <= out.size());
  for (std::size_t i = 0; i < bytes; ++i) out[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint64_t get(base::ByteSpan in, std::size_t offset, std::size_t bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes; ++i) value |= std::uint64_t{in[offset + i]} << (8 * i);
  return value;
}

std::uint32_t flags_of(Prot prot) {
  return ((prot & VM_PROT_READ) != 0 ? PF_R : 0) | ((prot & VM_PROT_WRITE) != 0 ? PF_W : 0) |
         ((prot & VM_PROT_EXECUTE) != 0 ? PF_X : 0);
}

Prot prot_of(std::uint32_t flags) {
  return static_cast<Prot>(((flags & PF_R) != 0 ? VM_PROT_READ : 0) |
                           ((flags & PF_W) != 0 ? VM_PROT_WRITE : 0) |
                           ((flags & PF_X) != 0 ? VM_PROT_EXECUTE : 0));
}

void append_note(base::Bytes& notes, std::string_view name, std::uint32_t type, base::ByteSpan desc) {
  std::size_t at = notes.size();
  std::size_t name_bytes = name.size() + 1;
  notes.resize(at + 12 + align4(name_bytes) + align4(desc.size()), 0);
  put(notes, at, name_bytes, 4);
  put(notes, at + 4, desc.size(), 4);
  put(notes, at + 8, type, 4);
  std::copy(name.begin(), name.end(), notes.begin() + static_cast<std::ptrdiff_t>(at + 12));
  std::copy(desc.begin(), desc.end(),
            notes.begin() + static_cast<std::ptrdiff_t>(at + 12 + align4(name_bytes)));
}

base::Bytes notes_of(const ElfImageSpec& spec) {
  base::Bytes notes;
  if (spec.osrel != 0) {
    std::array<std::uint8_t, 4> value{};
    base::store_le<std::uint32_t>(value, 0, static_cast<std::uint32_t>(spec.osrel));
    append_note(notes, kFreeBSDNoteName, NT_FREEBSD_ABI_TAG, value);
  }
  if (!spec.host_program.empty()) {
    base::Bytes name(spec.host_program.begin(), spec.host_program.end());
    name.push_back(0);
    append_note(notes, kHostNoteName, kHostProgramNote, name);
  }
  return notes;
}

void write_phdr(base::Bytes& out, std::size_t at, ElfClass elf_class, std::uint32_t type, std::uint32_t flags,
                std::uint64_t offset, std::uint64_t vaddr, std::uint64_t filesz, std::uint64_t memsz,
                std::uint64_t align) {
  if (elf_class == ElfClass::Elf64) {
    put(out, at, type, 4);
    put(out, at + 4, flags, 4);
    put(out, at + 8, offset, 8);
    put(out, at + 16, vaddr, 8);
    put(out, at + 24, vaddr, 8);
    put(out, at + 32, filesz, 8);
    put(out, at + 40, memsz, 8);
    put(out, at + 48, align, 8);
    return;
  }
  put(out, at, type, 4);
  put(out, at + 4, offset, 4);
  put(out, at + 8, vaddr, 4);
  put(out, at + 12, vaddr, 4);
  put(out, at + 16, filesz, 4);
  put(out, at + 20, memsz, 4);
  put(out, at + 24, flags, 4);
  put(out, at + 28, align, 4);
}

void write_ehdr(base::Bytes& out, const ElfImageSpec& spec, std::size_t phnum) {
  const Layout layout = layout_of(spec.elf_class);
  const std::array<std::uint8_t, 8> ident = {
      0x7f, 'E', 'L', 'F', static_cast<std::uint8_t>(spec.elf_class), 1, 1, ELFOSABI_FREEBSD};
  std::copy(ident.begin(), ident.end(), out.begin());
  std::size_t w = layout.word_bytes;
  put(out, 16, ET_EXEC, 2);
  put(out, 18, spec.machine, 2);
  put(out, 20, 1, 4);                      // e_version
  put(out, 24, spec.entry, w);             // e_entry
  put(out, 24 + w, layout.ehdr_bytes, w);  // e_phoff: right after this header
  std::size_t tail = 24 + 3 * w + 4;       // past e_shoff and e_flags
  put(out, tail, layout.ehdr_bytes, 2);
  put(out, tail + 2, layout.phdr_bytes, 2);
  put(out, tail + 4, phnum, 2);
  put(out, tail + 6, layout.phdr_bytes == 56 ? 64 : 40, 2);  // e_shentsize, though e_shnum is 0
}

}  // namespace

base::Bytes write_elf(const ElfImageSpec& spec) {
  const Layout layout = layout_of(spec.elf_class);
  base::Bytes notes = notes_of(spec);
  std::size_t phnum = spec.segments.size() + (notes.empty() ? 0 : 1);
  PROCSIM_ASSERT(phnum <= kMaxPhdrs);
  std::size_t notes_offset = layout.ehdr_bytes + phnum * layout.phdr_bytes;
  base::Bytes out(notes_offset + notes.size(), 0);
  write_ehdr(out, spec, phnum);
  std::copy(notes.begin(), notes.end(), out.begin() + static_cast<std::ptrdiff_t>(notes_offset));
  std::size_t phdr_at = layout.ehdr_bytes;
  for (const ElfSegmentSpec& segment : spec.segments) {
    PROCSIM_ASSERT(page_aligned(segment.vaddr));
    std::uint64_t offset = round_page(out.size());
    std::uint64_t memsz = std::max<std::uint64_t>(segment.mem_bytes, segment.bytes.size());
    write_phdr(out, phdr_at, spec.elf_class, PT_LOAD, flags_of(segment.prot), offset, segment.vaddr,
               segment.bytes.size(), memsz, kPageSize);
    phdr_at += layout.phdr_bytes;
    out.resize(offset, 0);
    out.insert(out.end(), segment.bytes.begin(), segment.bytes.end());
  }
  if (!notes.empty()) {
    write_phdr(out, phdr_at, spec.elf_class, PT_NOTE, PF_R, notes_offset, 0, notes.size(), notes.size(), 4);
  }
  return out;
}

namespace {

// Walks the notes of one PT_NOTE segment.
void read_notes(base::ByteSpan notes, ElfInfo& info) {
  std::size_t at = 0;
  while (at + 12 <= notes.size()) {
    std::size_t name_bytes = static_cast<std::size_t>(get(notes, at, 4));
    std::size_t desc_bytes = static_cast<std::size_t>(get(notes, at + 4, 4));
    auto type = static_cast<std::uint32_t>(get(notes, at + 8, 4));
    std::size_t name_at = at + 12;
    std::size_t desc_at = name_at + align4(name_bytes);
    if (name_bytes > notes.size() || desc_bytes > notes.size() || desc_at + desc_bytes > notes.size()) return;
    std::string_view name(reinterpret_cast<const char*>(notes.data() + name_at),
                          name_bytes == 0 ? 0 : name_bytes - 1);
    base::ByteSpan desc = notes.subspan(desc_at, desc_bytes);
    if (name == kFreeBSDNoteName && type == NT_FREEBSD_ABI_TAG && desc_bytes == 4) {
      info.osrel = static_cast<std::int32_t>(get(desc, 0, 4));
    } else if (name == kHostNoteName && type == kHostProgramNote && desc_bytes > 1 &&
               desc_bytes <= kMaxHostNameBytes && desc.back() == 0) {
      info.host_program = std::string(reinterpret_cast<const char*>(desc.data()), desc_bytes - 1);
    }
    at = desc_at + align4(desc_bytes);
  }
}

}  // namespace

base::Result<ElfInfo, ElfReject> read_elf(base::ByteSpan file) {
  if (file.size() < 16 || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F')
    return base::fail(ElfReject::NotElf);
  ElfInfo info;
  if (file[4] != 1 && file[4] != 2) return base::fail(ElfReject::Unsupported);
  info.elf_class = static_cast<ElfClass>(file[4]);
  const Layout layout = layout_of(info.elf_class);
  if (file.size() < layout.ehdr_bytes || file[5] != 1 || get(file, 16, 2) != ET_EXEC)
    return base::fail(ElfReject::Unsupported);
  std::size_t w = layout.word_bytes;
  info.osabi = file[7];
  info.machine = static_cast<std::uint16_t>(get(file, 18, 2));
  info.entry = get(file, 24, w);
  std::uint64_t phoff = get(file, 24 + w, w);
  std::size_t tail = 24 + 3 * w + 4;
  std::uint64_t phentsize = get(file, tail + 2, 2);
  std::uint64_t phnum = get(file, tail + 4, 2);
  if (phentsize != layout.phdr_bytes || phnum == 0 || phnum > kMaxPhdrs || phoff > file.size() ||
      phnum * phentsize > file.size() - phoff)
    return base::fail(ElfReject::Unsupported);
  for (std::uint64_t i = 0; i < phnum; ++i) {
    std::size_t at = static_cast<std::size_t>(phoff + i * phentsize);
    bool is64 = info.elf_class == ElfClass::Elf64;
    auto type = static_cast<std::uint32_t>(get(file, at, 4));
    auto flags = static_cast<std::uint32_t>(get(file, at + (is64 ? 4 : 24), 4));
    std::uint64_t offset = get(file, at + (is64 ? 8 : 4), w);
    std::uint64_t vaddr = get(file, at + (is64 ? 16 : 8), w);
    std::uint64_t filesz = get(file, at + (is64 ? 32 : 16), w);
    std::uint64_t memsz = get(file, at + (is64 ? 40 : 20), w);
    if (type == PT_LOAD) info.segments.push_back(ImageSegment{vaddr, offset, filesz, memsz, prot_of(flags)});
    if (type == PT_NOTE && offset <= file.size() && filesz <= file.size() - offset)
      read_notes(file.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(filesz)), info);
  }
  return info;
}

}  // namespace procsim::vm
