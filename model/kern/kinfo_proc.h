// What sysctl kern.proc hands user space about one process: the fields of FreeBSD 8.3's
// struct kinfo_proc (sys/sys/user.h) that ps and procfs-free tools read, in a fixed
// little-endian record of kKinfoProcBytes bytes. Both sides use the codec here, as the kernel
// and libc share <sys/user.h>. The byte layout is procsim's own (docs/deviations.md), not
// 8.3's 1088-byte structure; rusage, the pcb address and per-thread records are left out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sim/base/bytes.h"

namespace procsim::kern {

// ki_stat values (sys/sys/proc.h SIDL .. SLOCK).
enum class KinfoStat : std::int32_t {
  Idle = 1,
  Run = 2,
  Sleep = 3,
  Stop = 4,
  Zombie = 5,
  Wait = 6,
  Lock = 7
};

// ki_kiflag bits.
inline constexpr std::uint32_t kKiCtty = 0x1;     // KI_CTTY: the session has a controlling terminal
inline constexpr std::uint32_t kKiSleader = 0x2;  // KI_SLEADER: the process leads its session

struct KinfoProc {
  std::int32_t pid = 0;
  std::int32_t ppid = 0;
  std::int32_t pgid = 0;
  std::int32_t sid = 0;
  std::int32_t tpgid = 0;
  std::int32_t tsid = 0;
  std::int32_t jobc = 0;
  std::int32_t tid = 0;
  std::uint32_t uid = 0;
  std::uint32_t ruid = 0;
  std::uint32_t svuid = 0;
  std::uint32_t rgid = 0;
  std::uint32_t svgid = 0;
  std::uint32_t flag = 0;    // p_flag
  std::uint32_t kiflag = 0;  // KI_CTTY | KI_SLEADER
  KinfoStat stat = KinfoStat::Run;
  std::int32_t nice = 0;
  std::int32_t pri_level = 0;
  std::int32_t pri_user = 0;
  std::uint32_t xstat = 0;
  std::uint32_t numthreads = 0;
  std::uint32_t sleep_interruptible = 0;  // TDF_SINTR of the thread shown
  std::uint32_t siglist = 0;              // first word of each signal set
  std::uint32_t sigmask = 0;
  std::uint32_t sigignore = 0;
  std::uint32_t sigcatch = 0;
  std::int64_t start_seconds = 0;  // p_start as time of day
  std::int64_t start_usec = 0;
  std::uint64_t runtime_usec = 0;
  std::uint64_t user_usec = 0;
  std::uint64_t system_usec = 0;
  std::uint64_t wchan = 0;  // 0 when not asleep; otherwise a token, not an address
  std::string comm;         // at most MAXCOMLEN
  std::string wmesg;        // at most WMESGLEN (8)
  std::string login;        // at most MAXLOGNAME - 1 (16)
  std::string emul;         // sv_name, at most KI_EMULNAMELEN - 1 (15)
  std::string tty;          // the controlling terminal's name ("ttyp0"), empty for none

  bool operator==(const KinfoProc&) const = default;
};

inline constexpr std::size_t kKinfoProcBytes = 256;

base::Bytes encode_kinfo_proc(const KinfoProc& info);
// nullopt unless `bytes` holds exactly one record with NUL-terminated strings.
std::optional<KinfoProc> decode_kinfo_proc(base::ByteSpan bytes);

}  // namespace procsim::kern
