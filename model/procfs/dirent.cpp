// Directory reads, one function per era, each following its era's loop so that the offset
// arithmetic (and FreeBSD 4's root continuation bug) comes out exactly. Facts: spec/procfs.md
// §8.2; 4.4BSD and FreeBSD 4 procfs_readdir(), FreeBSD 8 pfs_readdir() and pfs_iterate().
#include "model/procfs/dirent.h"

#include <algorithm>
#include <climits>
#include <optional>

#include <fmt/format.h>

#include "model/procfs/fileno.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

using vfs::Errno;

namespace {

// Appends records of one era to the bytes a read returns. FreeBSD 4's process-directory loop
// reuses one struct dirent on the stack without clearing it, so a short name leaves the tail of
// the previous, longer name in the record (stale_names). What the stack held before the first
// record is unknowable; the model starts from zeros. Every other loop clears each record.
class RecordWriter {
 public:
  RecordWriter(Era era, bool stale_names) : m_layout(dirent_layout(era)), m_stale_names(stale_names) {
    m_name_area.assign(m_layout.name_bytes, 0);
  }

  void append(const DirSlot& slot) {
    PROCSIM_ASSERT_MSG(slot.name.size() < m_layout.name_bytes, "a procfs name must fit its record");
    PROCSIM_ASSERT(!slot.name.empty());
    if (!m_stale_names) std::fill(m_name_area.begin(), m_name_area.end(), std::uint8_t{0});
    std::copy(slot.name.begin(), slot.name.end(), m_name_area.begin());
    m_name_area[slot.name.size()] = 0;
    std::size_t start = m_bytes.size();
    m_bytes.resize(start + m_layout.record_bytes, 0);
    base::MutableByteSpan record(m_bytes.data() + start, m_layout.record_bytes);
    base::store_le<std::uint32_t>(record, 0, slot.fileno);
    base::store_le<std::uint16_t>(record, 4, static_cast<std::uint16_t>(m_layout.record_bytes));
    record[6] = static_cast<std::uint8_t>(slot.type);
    record[7] = static_cast<std::uint8_t>(slot.name.size());
    std::copy(m_name_area.begin(), m_name_area.end(),
              record.begin() + static_cast<std::ptrdiff_t>(kDirentHeaderBytes));
    ++m_entries;
  }

  // Whether a whole record still fits in a buffer of `resid` bytes.
  bool fits(std::size_t resid) const { return resid >= m_bytes.size() + m_layout.record_bytes; }

  DirRead finish(std::int64_t offset) {
    PROCSIM_ASSERT(m_bytes.size() == m_entries * m_layout.record_bytes);
    return DirRead{std::move(m_bytes), offset, m_entries};
  }

 private:
  const DirentLayout& m_layout;
  bool m_stale_names;
  std::vector<std::uint8_t> m_name_area;
  base::Bytes m_bytes;
  std::size_t m_entries = 0;
};

std::int64_t offset_of(std::size_t index, std::size_t record_bytes) {
  return static_cast<std::int64_t>(index * record_bytes);
}

// A process directory in 4.4BSD and FreeBSD 4: entry i of the table is at index i; FreeBSD 4
// passes over rows whose validity test fails, which still use up their index.
DirRead read_table(Era era, const DirListing& listing, std::size_t index, std::size_t resid) {
  bool stale = era == Era::FreeBSD4;
  RecordWriter writer(era, stale);
  if (!listing.readable) return writer.finish(offset_of(index, dirent_layout(era).record_bytes));
  for (; writer.fits(resid) && index < listing.slots.size(); ++index) {
    const DirSlot& slot = listing.slots[index];
    if (era == Era::FreeBSD4 && !slot.listed) continue;
    writer.append(slot);
  }
  return writer.finish(offset_of(index, dirent_layout(era).record_bytes));
}

// 4.4BSD's root: curproc at index 0, then process i - 1 at index i. A continued read skips
// exactly the processes already returned. Jails do not exist, so every process is listed.
DirRead read_root_44bsd(const DirListing& listing, std::size_t index, std::size_t resid) {
  PROCSIM_ASSERT(listing.fixed_before == 1);
  std::span<const DirSlot> procs(listing.slots.begin() + 1, listing.slots.end());
  RecordWriter writer(Era::Bsd44, false);
  std::size_t pcnt = 1;
  std::size_t p = 0;
  while (p < procs.size() && writer.fits(resid)) {
    if (index == 0) {
      writer.append(listing.slots[0]);
      ++index;
      continue;
    }
    std::optional<std::size_t> filled;
    if (pcnt >= index) filled = p;
    ++p;
    if (pcnt++ < index) continue;
    PROCSIM_ASSERT(filled.has_value());
    writer.append(procs[*filled]);
    ++index;
  }
  return writer.finish(offset_of(index, dirent_layout(Era::Bsd44).record_bytes));
}

// FreeBSD 4's root: ".", "..", curproc, then processes. `pcnt` restarts at 0 on every call while
// the index does not, so a continued read at index i first skips i listed processes where
// i - 3 were returned: three processes vanish at every continuation. spec §8.2
DirRead read_root_freebsd4(const DirListing& listing, std::size_t index, std::size_t resid) {
  PROCSIM_ASSERT(listing.fixed_before == 3);
  std::span<const DirSlot> procs(listing.slots.begin() + 3, listing.slots.end());
  RecordWriter writer(Era::FreeBSD4, false);
  std::size_t pcnt = 0;
  std::size_t p = 0;
  for (; p < procs.size() && writer.fits(resid); ++index, ++pcnt) {
    if (index < 3) {
      writer.append(listing.slots[index]);
      continue;
    }
    bool exhausted = false;
    while (pcnt < index && !exhausted) {
      ++p;
      exhausted = p == procs.size();
      if (!exhausted && procs[p].listed) ++pcnt;
    }
    while (!exhausted && !procs[p].listed) {
      ++p;
      exhausted = p == procs.size();
    }
    if (exhausted) break;
    writer.append(procs[p]);
    ++p;
  }
  return writer.finish(offset_of(index, dirent_layout(Era::FreeBSD4).record_bytes));
}

vfs::KResult<DirRead> read_44bsd(const DirListing& listing, const DirReadRequest& request) {
  constexpr std::int64_t kRecord = 16;
  if (request.resid < static_cast<std::size_t>(kRecord)) return base::fail(Errno::Einval);
  if ((request.offset & (kRecord - 1)) != 0) return base::fail(Errno::Einval);
  if (request.offset < 0) return base::fail(Errno::Einval);
  auto index = static_cast<std::size_t>(request.offset / kRecord);
  if (listing.kind == DirKind::Root) return read_root_44bsd(listing, index, request.resid);
  return read_table(Era::Bsd44, listing, index, request.resid);
}

vfs::KResult<DirRead> read_freebsd4(const DirListing& listing, const DirReadRequest& request) {
  constexpr std::int64_t kRecord = 20;
  bool fits_int = request.offset >= INT_MIN && request.offset <= INT_MAX;
  if (!fits_int || request.offset < 0) return base::fail(Errno::Einval);
  if (request.offset % kRecord != 0) return base::fail(Errno::Einval);
  if (request.resid < static_cast<std::size_t>(kRecord)) return base::fail(Errno::Einval);
  auto index = static_cast<std::size_t>(request.offset / kRecord);
  if (listing.kind == DirKind::Root) return read_root_freebsd4(listing, index, request.resid);
  return read_table(Era::FreeBSD4, listing, index, request.resid);
}

vfs::KResult<DirRead> read_freebsd8(const DirListing& listing, const DirReadRequest& request) {
  constexpr std::int64_t kRecord = 32;
  if (request.offset < 0 || request.offset % kRecord != 0) return base::fail(Errno::Einval);
  bool partial = request.resid != 0 && request.resid < static_cast<std::size_t>(kRecord);
  if (partial) return base::fail(Errno::Einval);
  RecordWriter writer(Era::FreeBSD8, false);
  if (request.resid == 0) return writer.finish(request.offset);
  if (!listing.readable) return base::fail(Errno::Enoent);
  auto skip = static_cast<std::size_t>(request.offset / kRecord);
  for (const DirSlot& slot : listing.slots) {
    if (!slot.listed) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    if (!writer.fits(request.resid)) break;
    writer.append(slot);
  }
  DirRead result = writer.finish(request.offset);
  result.offset += static_cast<std::int64_t>(result.bytes.size());
  return result;
}

DirSlot fixed_slot(Era era, const ListingRow& row, std::optional<kern::Pid> dir_pid) {
  return DirSlot{std::string(row.name), listing_fileno(era, row, dir_pid), row.type, true};
}

}  // namespace

vfs::KResult<DirRead> read_directory(Era era, const DirListing& listing, const DirReadRequest& request) {
  PROCSIM_ASSERT(listing.fixed_before <= listing.slots.size());
  switch (era) {
    case Era::Bsd44: return read_44bsd(listing, request);
    case Era::FreeBSD4: return read_freebsd4(listing, request);
    case Era::FreeBSD8: return read_freebsd8(listing, request);
  }
  PROCSIM_UNREACHABLE();
}

DirListing root_listing(Era era, std::span<const RootProcEntry> allproc) {
  const Profile& layout = profile(era);
  DirListing listing;
  listing.kind = DirKind::Root;
  for (const ListingRow& row : layout.root_before)
    listing.slots.push_back(fixed_slot(era, row, std::nullopt));
  listing.fixed_before = listing.slots.size();
  for (const RootProcEntry& entry : allproc) {
    listing.slots.push_back(DirSlot{fmt::format("{}", entry.pid.value()),
                                    root_proc_entry_fileno(era, entry.pid), layout.proc_dir_type,
                                    entry.listed});
  }
  for (const ListingRow& row : layout.root_after) listing.slots.push_back(fixed_slot(era, row, std::nullopt));
  PROCSIM_ASSERT(listing.slots.size() ==
                 layout.root_before.size() + allproc.size() + layout.root_after.size());
  return listing;
}

DirListing proc_dir_listing(Era era, const ProcDirFacts& facts) {
  DirListing listing;
  listing.kind = DirKind::ProcDir;
  listing.readable = facts.readable;
  for (const ListingRow& row : profile(era).proc_listing) {
    DirSlot slot = fixed_slot(era, row, facts.pid);
    slot.listed = node_present(node_row(era, row.node), facts.p_flag, facts.can_debug);
    listing.slots.push_back(std::move(slot));
  }
  PROCSIM_ASSERT(listing.slots.size() == profile(era).proc_listing.size());
  return listing;
}

}  // namespace procsim::procfs
