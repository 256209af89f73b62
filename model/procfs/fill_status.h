// The procfs `status` line in each era's format (spec/procfs.md §3.1): 4.4BSD's space-separated
// times and "uid gid g0 g1 ..." credentials, FreeBSD 4's "sec,usec" times, "-1,-1" terminal
// and "euid ruid rgid,g0,..." credentials with the jail host name, FreeBSD 8's octal-escaped
// command name, device-name terminal and jail name. Offsets are text_read.h's business.
#pragma once

#include <string>
#include <string_view>

#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"
#include "model/vfs/errno.h"

namespace procsim::procfs {

// The whole status text of `target`, newline included.
vfs::KResult<std::string> fill_status(const ProcSnapshot& target, const ReaderView& reader, Era era);

// FreeBSD 8's command-name field: p_comm up to its NUL (the first byte always, so an empty name
// prints "\000"), each byte below 33, above 126 or a backslash written as "\" and three or more
// octal digits of the byte as a signed char: 0x80 prints "\37777777600".
std::string escape_comm_freebsd8(std::string_view comm);

}  // namespace procsim::procfs
