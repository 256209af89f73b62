// The structures procfs hands back to scripted calls, described by field for transcripts: the
// out-structures of the PIOC ioctls (struct procfs_status, PIOCGFL's flags) and the records of a
// getdirentries buffer. The command numbers are FreeBSD 8's LP64 ones and their ILP32 twins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/base/bytes.h"

namespace procsim::driver {

// How many bytes an ioctl copies out (IOCPARM_LEN of an IOC_OUT command), none for other commands.
std::optional<std::size_t> ioctl_out_size(std::uint32_t command);

// " {state=0, flags=0x1, events=0x21, why=0x4, val=0}" for procfs_status, " {flags=0x1}" for
// PIOCGFL; none for a command without a named layout.
std::optional<std::string> describe_ioctl_out(std::uint32_t command, base::ByteSpan bytes);

// " {ino=2, type=DT_DIR, name=\".\"} ..." for each record, then " {reclen=N}" when every record
// has that length; " <malformed>" when the buffer does not split into records.
std::string describe_dirents(base::ByteSpan bytes);

}  // namespace procsim::driver
