// The structures procfs's ioctls hand back to scripted calls, described by field for transcripts:
// struct procfs_status (PIOCSTATUS, PIOCWAIT) and PIOCGFL's flags. The command numbers are
// FreeBSD 8's LP64 ones and their ILP32 twins; other commands are left to the generic printer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/base/bytes.h"

namespace procsim::driver {

// " {state=0, flags=0x1, events=0x21, why=0x4, val=0}" for procfs_status, " {flags=0x1}" for
// PIOCGFL; none for a command without a named layout.
std::optional<std::string> describe_ioctl_out(std::uint32_t command, base::ByteSpan bytes);

}  // namespace procsim::driver
