// The two symbolic links of the symlink eras (spec/procfs.md §1.5): curproc, whose target is the
// reading process's pid in decimal, and file, whose target is the executable's path, or
// "unknown" when the name cache cannot produce it. 4.4BSD has neither link: its curproc is a
// directory alias and its file node is the executable's own vnode.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "model/kern/pid_alloc.h"
#include "model/procfs/profile.h"
#include "model/vfs/errno.h"

namespace procsim::procfs {

// PATH_MAX: FreeBSD 8's readlink buffer; a longer target is ENAMETOOLONG.
inline constexpr std::size_t kPathMax = 1024;

// readlink of curproc by process `reader`.
vfs::KResult<std::string> fill_curproc_link(Era era, kern::Pid reader);

// readlink of file: `path` is the text vnode's full path, none when it cannot be found.
vfs::KResult<std::string> fill_file_link(Era era, const std::optional<std::string>& path);

}  // namespace procsim::procfs
