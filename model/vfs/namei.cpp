// namei() and lookup() after 8.3 kern/vfs_lookup.c, written as one loop over components: each
// step handles ".." at the root and across mount points, checks that the directory is one and
// may be searched, asks the file system, crosses into mounted file systems and follows links
// by splicing the link text in front of the rest of the path.
#include "model/vfs/namei.h"

#include <utility>

#include "model/vfs/mount.h"
#include "sim/base/assert.h"

namespace procsim::vfs {

namespace {

// One component of the path and what follows it.
struct Component {
  std::string_view name;
  std::size_t next = 0;  // where the rest of the path starts (after any slashes)
  bool is_last = false;
  bool trailing_slash = false;
};

std::size_t skip_slashes(std::string_view path, std::size_t pos) {
  while (pos < path.size() && path[pos] == '/') ++pos;
  return pos;
}

Component parse_component(std::string_view path, std::size_t pos) {
  PROCSIM_ASSERT(pos < path.size() && path[pos] != '/');
  std::size_t end = path.find('/', pos);
  if (end == std::string_view::npos) end = path.size();
  Component component;
  component.name = path.substr(pos, end - pos);
  component.next = skip_slashes(path, end);
  component.is_last = component.next == path.size();
  component.trailing_slash = component.is_last && end < path.size();
  return component;
}

// ".." from `dp`: stays at the process root and at the top of the mount tree, and replaces a
// mount's root by the directory it covers before looking "..". Returns the directory to search,
// or the result itself (with `done` set) when ".." does not move.
VnodeRef climb_for_dotdot(const VfsContext& ctx, VnodeRef dp, bool& done) {
  done = false;
  while (true) {
    if (dp.get() == ctx.root) break;
    if (!dp->is_root()) return dp;
    Vnode* covered = dp->mount().covered();
    if (covered == nullptr) break;  // the root of the root file system
    dp = VnodeRef::acquire(*covered);
  }
  done = true;
  return dp;
}

// Replaces a directory something is mounted on by the mounted file system's root.
VnodeRef cross_mounts_down(VnodeRef vp) {
  for (std::size_t depth = 0; vp->type() == VType::VDIR && vp->mounted_here() != nullptr; ++depth) {
    PROCSIM_ASSERT_MSG(depth < 64, "mount points stacked without end");
    vp = VnodeRef::acquire(vp->mounted_here()->root());
  }
  return vp;
}

// Reads a symbolic link's text for the lookup (VOP_READLINK into a MAXPATHLEN buffer).
KResult<std::string> read_link_text(const VfsContext& ctx, Vnode& link) {
  std::string text(kPathMax, '\0');
  Uio uio =
      Uio::for_read(base::MutableByteSpan(reinterpret_cast<std::uint8_t*>(text.data()), text.size()), 0);
  TRY(vop_readlink(link, uio, ctx));
  text.resize(uio.transferred());
  return text;
}

// The state of one namei() call.
class Lookup {
 public:
  Lookup(const VfsContext& ctx, const NameiRequest& request) : m_ctx(ctx), m_request(request) {}
  KResult<NameiResult> run();

 private:
  KResult<NameiResult> degenerate(VnodeRef dp);
  KResult<NameiResult> stay_at_top(VnodeRef dp);
  KResult<NameiResult> missing_last(VnodeRef dp, const Component& component);
  KResult<void> follow_link(Vnode& link, const Component& component, VnodeRef& dp);
  bool must_follow(const Vnode& vp, const Component& component) const;

  const VfsContext& m_ctx;
  const NameiRequest& m_request;
  std::string m_path;
  std::size_t m_links = 0;
};

KResult<NameiResult> Lookup::run() {
  if (m_request.path.empty()) return base::fail(Errno::Enoent);
  if (m_request.path.size() >= kPathMax) return base::fail(Errno::Enametoolong);
  PROCSIM_ASSERT(m_ctx.root != nullptr && m_ctx.cwd != nullptr);
  m_path = std::string(m_request.path);
  VnodeRef dp = VnodeRef::acquire(m_path.front() == '/' ? *m_ctx.root : *m_ctx.cwd);
  std::size_t pos = skip_slashes(m_path, 0);
  while (true) {
    if (pos == m_path.size()) return degenerate(std::move(dp));
    Component component = parse_component(m_path, pos);
    if (component.name.size() > kNameMax) return base::fail(Errno::Enametoolong);
    bool is_dotdot = component.name == "..";
    if (is_dotdot) {
      bool done = false;
      dp = climb_for_dotdot(m_ctx, std::move(dp), done);
      if (done && component.is_last) return stay_at_top(std::move(dp));
      if (done) {
        pos = component.next;
        continue;
      }
    }
    if (dp->type() != VType::VDIR) return base::fail(Errno::Enotdir);
    TRY(vop_access(*dp, VEXEC, m_ctx));
    ComponentName cnp{m_request.op, component.name, component.is_last, is_dotdot, component.trailing_slash};
    KResult<VnodeRef> found = vop_lookup(*dp, cnp, m_ctx);
    if (found.is_error() && found.error() == Errno::Ejustreturn)
      return missing_last(std::move(dp), component);
    VnodeRef vp = cross_mounts_down(TRY(std::move(found)));
    if (must_follow(*vp, component)) {
      TRY(follow_link(*vp, component, dp));
      pos = skip_slashes(m_path, 0);
      continue;
    }
    if (component.trailing_slash && vp->type() != VType::VDIR) return base::fail(Errno::Enotdir);
    if (!component.is_last) {
      dp = std::move(vp);
      pos = component.next;
      continue;
    }
    bool changes_name = m_request.op == NameiOp::Delete || m_request.op == NameiOp::Rename;
    if (changes_name && dp->mount().read_only()) return base::fail(Errno::Erofs);
    NameiResult result;
    result.last_name = std::string(component.name);
    result.vp = std::move(vp);
    if (m_request.want_parent) result.dvp = std::move(dp);
    return result;
  }
}

// A path that ends at a directory without naming an entry in it ("/", "a/..", "/..").
KResult<NameiResult> Lookup::degenerate(VnodeRef dp) {
  if (dp->type() != VType::VDIR) return base::fail(Errno::Enotdir);
  if (m_request.op != NameiOp::Lookup) return base::fail(Errno::Eisdir);
  NameiResult result;
  if (m_request.want_parent) result.dvp = dp.share();
  result.vp = std::move(dp);
  result.last_name = "";
  return result;
}

// ".." as last component where ".." does not move: the directory names itself, as an entry
// (so CREATE finds it existing and DELETE finds a directory).
KResult<NameiResult> Lookup::stay_at_top(VnodeRef dp) {
  PROCSIM_ASSERT(dp->type() == VType::VDIR);
  NameiResult result;
  result.last_name = "..";
  if (m_request.want_parent) result.dvp = dp.share();
  result.vp = std::move(dp);
  return result;
}

// The file system said the last component may be created (EJUSTRETURN).
KResult<NameiResult> Lookup::missing_last(VnodeRef dp, const Component& component) {
  PROCSIM_ASSERT_MSG(component.is_last, "EJUSTRETURN for a component that is not the last");
  PROCSIM_ASSERT(m_request.op == NameiOp::Create || m_request.op == NameiOp::Rename);
  if (dp->mount().read_only()) return base::fail(Errno::Erofs);
  if (component.trailing_slash && !m_request.will_be_dir) return base::fail(Errno::Enoent);
  NameiResult result;
  result.last_name = std::string(component.name);
  result.dvp = std::move(dp);
  return result;
}

bool Lookup::must_follow(const Vnode& vp, const Component& component) const {
  if (vp.type() != VType::VLNK) return false;
  return !component.is_last || m_request.follow || component.trailing_slash;
}

// Splices the link's text in front of the rest of the path; an absolute link restarts at the
// process root, a relative one in the directory holding the link.
KResult<void> Lookup::follow_link(Vnode& link, const Component& component, VnodeRef& dp) {
  if (m_links++ >= kMaxSymlinks) return base::fail(Errno::Eloop);
  std::string text = TRY(read_link_text(m_ctx, link));
  if (text.empty()) return base::fail(Errno::Enoent);
  // The rest of the path keeps the slash that ended the component ("link/x" -> "text/x").
  auto name_start = static_cast<std::size_t>(component.name.data() - m_path.data());
  std::size_t rest_start = name_start + component.name.size();
  std::string rest = m_path.substr(rest_start);
  // vfs_lookup.c counts the rest's terminating NUL in this comparison.
  if (text.size() + rest.size() + 1 >= kPathMax) return base::fail(Errno::Enametoolong);
  if (text.front() == '/') dp = VnodeRef::acquire(*m_ctx.root);
  m_path = text + rest;
  PROCSIM_ASSERT(m_path.size() < kPathMax);
  return {};
}

}  // namespace

KResult<NameiResult> namei(const VfsContext& ctx, const NameiRequest& request) {
  Lookup lookup(ctx, request);
  KResult<NameiResult> result = lookup.run();
  if (result.ok()) {
    const NameiResult& value = result.value();
    PROCSIM_ASSERT(value.vp || value.dvp);
    PROCSIM_ASSERT(value.vp || request.op == NameiOp::Create || request.op == NameiOp::Rename);
  }
  return result;
}

}  // namespace procsim::vfs
