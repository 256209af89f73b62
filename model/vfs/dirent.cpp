// Encoding and decoding of struct dirent records (little-endian, as on every architecture
// procsim runs).
#include "model/vfs/dirent.h"

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::vfs {

namespace {

constexpr bool dirent_type_rows_are_ordered() {
  for (std::size_t i = 1; i < kDirentTypeTable.size(); ++i) {
    if (kDirentTypeTable[i - 1].type >= kDirentTypeTable[i].type) return false;
  }
  return true;
}
static_assert(dirent_type_rows_are_ordered(), "kDirentTypeTable rows are in value order");
static_assert(generic_dirsiz(1) == 12, "\".\" takes 12 bytes");
static_assert(generic_dirsiz(3) == 12, "a 3-byte name and its NUL fit in 4 bytes");
static_assert(generic_dirsiz(4) == 16, "a 4-byte name needs a second word for its NUL");
static_assert(generic_dirsiz(kDirentNameMax) == 264, "the largest record");

}  // namespace

std::string dirent_type_name(DirentType type) {
  for (const DirentTypeRow& row : kDirentTypeTable) {
    if (row.type == type) return std::string(row.name);
  }
  return fmt::format("DT_{}", static_cast<unsigned>(type));
}

void append_dirent(base::Bytes& out, std::uint32_t fileno, DirentType type, std::string_view name,
                   std::size_t reclen) {
  PROCSIM_ASSERT(!name.empty());
  PROCSIM_ASSERT(name.size() <= kDirentNameMax);
  PROCSIM_ASSERT(reclen >= generic_dirsiz(name.size()));
  PROCSIM_ASSERT(reclen % 4 == 0 && reclen <= UINT16_MAX);
  std::size_t start = out.size();
  out.resize(start + reclen, 0);
  base::MutableByteSpan record(out.data() + start, reclen);
  base::store_le<std::uint32_t>(record, 0, fileno);
  base::store_le<std::uint16_t>(record, 4, static_cast<std::uint16_t>(reclen));
  record[6] = static_cast<std::uint8_t>(type);
  record[7] = static_cast<std::uint8_t>(name.size());
  for (std::size_t i = 0; i < name.size(); ++i)
    record[kDirentHeaderSize + i] = static_cast<std::uint8_t>(name[i]);
  PROCSIM_ASSERT(out.size() == start + reclen);
}

void append_generic_dirent(base::Bytes& out, std::uint32_t fileno, DirentType type, std::string_view name) {
  append_dirent(out, fileno, type, name, generic_dirsiz(name.size()));
}

std::optional<std::vector<Dirent>> decode_dirents(base::ByteSpan bytes) {
  std::vector<Dirent> result;
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    if (bytes.size() - offset < kDirentHeaderSize) return std::nullopt;
    Dirent entry;
    entry.fileno = base::load_le<std::uint32_t>(bytes, offset);
    entry.reclen = base::load_le<std::uint16_t>(bytes, offset + 4);
    entry.type = static_cast<DirentType>(bytes[offset + 6]);
    std::size_t namlen = bytes[offset + 7];
    if (entry.reclen < generic_dirsiz(namlen) || entry.reclen > bytes.size() - offset) return std::nullopt;
    const auto* name = reinterpret_cast<const char*>(bytes.data() + offset + kDirentHeaderSize);
    entry.name.assign(name, namlen);
    offset += entry.reclen;
    result.push_back(std::move(entry));
  }
  PROCSIM_ASSERT(offset == bytes.size());
  return result;
}

}  // namespace procsim::vfs
