// Shared builders for the procfs unit tests: credentials, a byte view of a string, and a
// process snapshot with plain defaults that each test overrides field by field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "model/procfs/snapshot.h"
#include "model/vfs/ucred.h"
#include "sim/base/bytes.h"

namespace procfs_test {

namespace procfs = procsim::procfs;
namespace vfs = procsim::vfs;
namespace kern = procsim::kern;
namespace base = procsim::base;

// A logged-in user's credentials: every uid `uid`, the group list stored under the era's rules.
inline vfs::Ucred cred_of(std::uint32_t uid, std::initializer_list<std::uint32_t> group_list,
                          vfs::Era era = vfs::Era::FreeBSD8) {
  std::vector<vfs::Gid> gids;
  for (std::uint32_t gid : group_list) gids.emplace_back(gid);
  return vfs::make_ucred(vfs::Uid(uid), gids, vfs::group_rules(era));
}

inline base::ByteSpan bytes_of(std::string_view text) {
  return base::ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

inline std::string string_of(const base::Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

// A process in memory, not sleeping, with no terminal: tests set what they check.
inline procfs::ProcSnapshot plain_snapshot(std::int32_t pid, std::string comm, vfs::Ucred cred) {
  procfs::ProcSnapshot snapshot;
  snapshot.pid = kern::Pid(pid);
  snapshot.ppid = kern::Pid(1);
  snapshot.pgid = kern::Pid(pid);
  snapshot.sid = kern::Pid(pid);
  snapshot.comm = std::move(comm);
  snapshot.p_flag = kern::P_INMEM;
  snapshot.cred = std::move(cred);
  return snapshot;
}

}  // namespace procfs_test
