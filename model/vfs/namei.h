// Path name lookup (FreeBSD's namei() and lookup(), kern/vfs_lookup.c): absolute and relative
// paths, "." and "..", ".." across mount points to the covered directory, symbolic links
// (MAXSYMLINKS), trailing slashes, the PATH_MAX and NAME_MAX limits, search permission on every
// directory, and the CREATE/DELETE/RENAME intents passed to each file system's lookup. The name
// cache, *at() descriptors, capability mode, whiteouts and union mounts are not modelled.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "model/vfs/errno.h"
#include "model/vfs/vnode.h"

namespace procsim::vfs {

// MAXPATHLEN (PATH_MAX, counting the terminating NUL), NAME_MAX and MAXSYMLINKS (8.3
// sys/sys/param.h, sys/sys/syslimits.h). The host defines all three names as macros.
inline constexpr std::size_t kPathMax = 1024;
inline constexpr std::size_t kNameMax = 255;
inline constexpr std::size_t kMaxSymlinks = 32;

// struct nameidata's inputs.
struct NameiRequest {
  std::string_view path;
  NameiOp op = NameiOp::Lookup;
  bool follow = true;        // FOLLOW: a symbolic link as last component is followed
  bool want_parent = false;  // WANTPARENT/LOCKPARENT: return the parent directory too
  bool will_be_dir = false;  // WILLBEDIR (mkdir): a trailing slash may name a missing entry
};

// struct nameidata's outputs. `vp` is null only for a CREATE or RENAME lookup whose last
// component does not exist; `dvp` is set then, and whenever want_parent was asked. Both hold
// use references. `last_name` is the last component (the name to create).
struct NameiResult {
  VnodeRef vp;
  VnodeRef dvp;
  std::string last_name;
};

// namei(): resolves `request.path` for `ctx` (ctx.root and ctx.cwd must be set). Errors:
// ENOENT (empty path, missing component, empty symbolic link), ENAMETOOLONG (path of PATH_MAX
// bytes or more, a component longer than NAME_MAX, a link expansion too long), ENOTDIR (a
// non-directory used as one, a trailing slash after a non-directory), EACCES (a directory
// without search permission), ELOOP (more than MAXSYMLINKS links), EISDIR (CREATE/DELETE/
// RENAME of "/"), EROFS (changing a name on a read-only mount), and whatever the file systems'
// lookups answer.
KResult<NameiResult> namei(const VfsContext& ctx, const NameiRequest& request);

}  // namespace procsim::vfs
