// memfs: nodes by inode number, one vnode per node while it is in use (kept cached afterwards,
// as the vnode cache would), and the ufs rules a shell sees: lookup's VWRITE and sticky checks
// (8.3 ufs/ufs/ufs_lookup.c), new files owned by the creator with the directory's group
// (ufs_makeinode), directories read as raw DIRBLKSIZ blocks (ufs_readdir), a removed file's
// inode kept until its last use is gone (ufs_inactive).
#include "model/vfs/memfs.h"

#include <algorithm>
#include <array>
#include <utility>

#include "model/vfs/dirent.h"
#include "sim/base/assert.h"

namespace procsim::vfs {

namespace {

// UF_IMMUTABLE | SF_IMMUTABLE (sys/stat.h): no writes, even by root.
constexpr std::uint32_t kImmutableFlags = 0x00000002 | 0x00020000;

std::uint64_t round_up(std::uint64_t value, std::uint64_t unit) {
  PROCSIM_ASSERT(unit > 0);
  return (value + unit - 1) / unit * unit;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    if (end > pos) parts.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

Vattr attributes_for_access(const MemfsNode& node) {
  Vattr vap;
  vap.type = node.type;
  vap.mode = node.mode;
  vap.uid = node.uid;
  vap.gid = node.gid;
  return vap;
}

bool changes_name(const ComponentName& cnp) {
  return cnp.is_last && (cnp.op == NameiOp::Delete || cnp.op == NameiOp::Rename);
}

}  // namespace

MemfsNodeSpec& MemfsNodeSpec::at(Timespec time) {
  atime = time;
  mtime = time;
  ctime = time;
  birthtime = time;
  return *this;
}

Memfs::Memfs(DeviceSwitch& devices, MemfsParams params, const MemfsNodeSpec& root)
    : m_devices(&devices), m_params(params), m_root_ino(root.ino.value_or(kMemfsRootIno)) {
  PROCSIM_ASSERT(m_params.fragment_size > 0 && m_params.block_size % m_params.fragment_size == 0);
  PROCSIM_ASSERT(m_root_ino >= kMemfsRootIno);
  MemfsNode node;
  node.ino = m_root_ino;
  node.type = VType::VDIR;
  node.mode = root.mode & kAllPerms;
  node.uid = root.uid;
  node.gid = root.gid;
  node.nlink = 2;
  node.atime = root.atime;
  node.mtime = root.mtime;
  node.ctime = root.ctime;
  node.birthtime = root.birthtime;
  node.flags = root.flags;
  node.parent = m_root_ino;  // the root's ".." is itself
  m_nodes.emplace(m_root_ino, std::move(node));
}

// ---- Building the tree -------------------------------------------------------------------------

KResult<std::uint64_t> Memfs::allocate_ino(std::optional<std::uint64_t> wanted) const {
  if (m_nodes.size() >= m_params.total_inodes) return base::fail(Errno::Enospc);
  if (wanted.has_value()) {
    if (*wanted < kMemfsRootIno || *wanted > UINT32_MAX) return base::fail(Errno::Einval);
    if (m_nodes.count(*wanted) != 0) return base::fail(Errno::Eexist);
    return *wanted;
  }
  std::uint64_t ino = m_params.first_free_ino;
  while (m_nodes.count(ino) != 0) ++ino;
  PROCSIM_ASSERT(ino <= UINT32_MAX);
  return ino;
}

KResult<MemfsNode*> Memfs::parent_for_new(std::string_view path, std::string& name) {
  std::vector<std::string_view> parts = split_path(path);
  if (parts.empty()) return base::fail(Errno::Eexist);  // "/" exists
  MemfsNode* dir = &node_at(m_root_ino);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    MemfsNode* next = find_entry(*dir, parts[i]);
    if (parts[i] == ".") next = dir;
    if (parts[i] == "..") next = &node_at(dir->parent);
    if (next == nullptr) return base::fail(Errno::Enoent);
    if (next->type != VType::VDIR) return base::fail(Errno::Enotdir);
    dir = next;
  }
  std::string_view last = parts.back();
  if (last.size() > kDirentNameMax) return base::fail(Errno::Enametoolong);
  if (last == "." || last == ".." || find_entry(*dir, last) != nullptr) return base::fail(Errno::Eexist);
  name = std::string(last);
  return dir;
}

MemfsNode& Memfs::add_node(MemfsNode& dir, std::string_view name, MemfsNode node) {
  PROCSIM_ASSERT(dir.type == VType::VDIR);
  PROCSIM_ASSERT(find_entry(dir, name) == nullptr);
  std::uint64_t ino = node.ino;
  if (node.type == VType::VDIR) {
    node.parent = dir.ino;
    ++dir.nlink;
  }
  auto [position, inserted] = m_nodes.emplace(ino, std::move(node));
  PROCSIM_ASSERT(inserted);
  dir.entries.push_back(MemfsNode::Entry{std::string(name), ino});
  return position->second;
}

namespace {

MemfsNode node_from_spec(std::uint64_t ino, VType type, const MemfsNodeSpec& spec) {
  MemfsNode node;
  node.ino = ino;
  node.type = type;
  node.mode = spec.mode & kAllPerms;
  node.uid = spec.uid;
  node.gid = spec.gid;
  node.nlink = type == VType::VDIR ? 2 : 1;
  node.atime = spec.atime;
  node.mtime = spec.mtime;
  node.ctime = spec.ctime;
  node.birthtime = spec.birthtime;
  node.flags = spec.flags;
  node.bytes = spec.bytes;
  return node;
}

}  // namespace

KResult<std::uint64_t> Memfs::make_directory(std::string_view path, const MemfsNodeSpec& spec) {
  std::string name;
  MemfsNode* dir = TRY(parent_for_new(path, name));
  std::uint64_t ino = TRY(allocate_ino(spec.ino));
  add_node(*dir, name, node_from_spec(ino, VType::VDIR, spec));
  return ino;
}

KResult<std::uint64_t> Memfs::make_file(std::string_view path, base::Bytes contents,
                                        const MemfsNodeSpec& spec) {
  if (contents.size() > m_params.max_file_bytes) return base::fail(Errno::Efbig);
  std::string name;
  MemfsNode* dir = TRY(parent_for_new(path, name));
  std::uint64_t ino = TRY(allocate_ino(spec.ino));
  MemfsNode node = node_from_spec(ino, VType::VREG, spec);
  node.size = std::max<std::uint64_t>(spec.size.value_or(0), contents.size());
  node.data = std::move(contents);
  add_node(*dir, name, std::move(node));
  return ino;
}

KResult<std::uint64_t> Memfs::make_symlink(std::string_view path, std::string_view target,
                                           const MemfsNodeSpec& spec) {
  if (target.empty()) return base::fail(Errno::Enoent);
  std::string name;
  MemfsNode* dir = TRY(parent_for_new(path, name));
  std::uint64_t ino = TRY(allocate_ino(spec.ino));
  MemfsNode node = node_from_spec(ino, VType::VLNK, spec);
  node.target = std::string(target);
  add_node(*dir, name, std::move(node));
  return ino;
}

KResult<std::uint64_t> Memfs::make_device(std::string_view path, VType type, std::uint32_t rdev,
                                          const MemfsNodeSpec& spec) {
  PROCSIM_ASSERT(type == VType::VCHR || type == VType::VBLK);
  std::string name;
  MemfsNode* dir = TRY(parent_for_new(path, name));
  std::uint64_t ino = TRY(allocate_ino(spec.ino));
  MemfsNode node = node_from_spec(ino, type, spec);
  node.rdev = rdev;
  add_node(*dir, name, std::move(node));
  return ino;
}

KResult<void> Memfs::set_contents(std::uint64_t ino, base::Bytes contents) {
  auto it = m_nodes.find(ino);
  if (it == m_nodes.end()) return base::fail(Errno::Enoent);
  if (it->second.type != VType::VREG) return base::fail(Errno::Einval);
  if (contents.size() > m_params.max_file_bytes) return base::fail(Errno::Efbig);
  it->second.data = std::move(contents);
  it->second.size = it->second.data.size();
  return {};
}

// ---- Looking at the tree -----------------------------------------------------------------------

KResult<std::uint64_t> Memfs::replace_file(std::string_view path, const MemfsNodeSpec& spec) {
  std::optional<std::uint64_t> old_ino = find(path);
  if (!old_ino.has_value() || *old_ino == m_root_ino)
    return base::fail(old_ino ? Errno::Eisdir : Errno::Enoent);
  MemfsNode& old = node_at(*old_ino);
  if (old.type == VType::VDIR) return base::fail(Errno::Eisdir);
  if (old.type != VType::VREG) return base::fail(Errno::Eftype);
  if (spec.size.value_or(0) > m_params.max_file_bytes) return base::fail(Errno::Efbig);
  std::uint64_t ino = spec.ino.value_or(*old_ino);
  if (ino != *old_ino) TRY(allocate_ino(ino));
  std::size_t slash = path.find_last_of('/');
  std::optional<std::uint64_t> dir_ino = find(slash == std::string_view::npos ? "" : path.substr(0, slash));
  PROCSIM_ASSERT(dir_ino.has_value());
  MemfsNode& dir = node_at(*dir_ino);
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto entry = std::find_if(dir.entries.begin(), dir.entries.end(),
                            [&](const MemfsNode::Entry& e) { return e.name == name; });
  PROCSIM_ASSERT(entry != dir.entries.end() && entry->ino == *old_ino);
  MemfsNode node = node_from_spec(ino, VType::VREG, spec);
  node.data = old.data;
  node.size = std::max<std::uint64_t>(spec.size.value_or(0), node.data.size());
  if (ino == *old_ino) {
    node.vnode = old.vnode;
    node.nlink = old.nlink;
    old = std::move(node);
    return ino;
  }
  // The directory slot keeps its place; the old inode loses this name.
  entry->ino = ino;
  PROCSIM_ASSERT(m_nodes.emplace(ino, std::move(node)).second);
  drop_link(node_at(*old_ino));
  return ino;
}

std::optional<std::uint64_t> Memfs::find(std::string_view path) const {
  const MemfsNode* current = &m_nodes.at(m_root_ino);
  for (std::string_view part : split_path(path)) {
    if (current->type != VType::VDIR) return std::nullopt;
    if (part == ".") continue;
    if (part == "..") {
      current = &m_nodes.at(current->parent);
      continue;
    }
    auto entry = std::find_if(current->entries.begin(), current->entries.end(),
                              [&](const MemfsNode::Entry& e) { return e.name == part; });
    if (entry == current->entries.end()) return std::nullopt;
    current = &m_nodes.at(entry->ino);
  }
  return current->ino;
}

const MemfsNode* Memfs::node(std::uint64_t ino) const {
  auto it = m_nodes.find(ino);
  return it == m_nodes.end() ? nullptr : &it->second;
}

base::Bytes Memfs::directory_image(std::uint64_t ino) const {
  const MemfsNode& dir = m_nodes.at(ino);
  PROCSIM_ASSERT(dir.type == VType::VDIR);
  base::Bytes out;
  std::size_t block_used = 0;
  std::size_t last_start = 0;
  // The last record of a block absorbs the bytes no further record fits in.
  auto close_block = [&]() {
    std::size_t rest = kDirBlockSize - block_used;
    auto reclen = base::load_le<std::uint16_t>(out, last_start + 4);
    base::store_le<std::uint16_t>(out, last_start + 4, static_cast<std::uint16_t>(reclen + rest));
    out.resize(out.size() + rest, 0);
    block_used = 0;
  };
  auto add = [&](std::uint64_t fileno, VType type, std::string_view name) {
    std::size_t size = generic_dirsiz(name.size());
    if (block_used + size > kDirBlockSize) close_block();
    last_start = out.size();
    append_generic_dirent(out, static_cast<std::uint32_t>(fileno), vtype_row(type).dirent_type, name);
    block_used += size;
  };
  add(dir.ino, VType::VDIR, ".");
  add(dir.parent, VType::VDIR, "..");
  for (const MemfsNode::Entry& entry : dir.entries) add(entry.ino, m_nodes.at(entry.ino).type, entry.name);
  close_block();
  PROCSIM_ASSERT(out.size() % kDirBlockSize == 0);
  return out;
}

// ---- FileSystem --------------------------------------------------------------------------------

KResult<void> Memfs::attach(Mount& mount) {
  PROCSIM_ASSERT_MSG(m_mount == nullptr, "a memfs is mounted once");
  m_mount = &mount;
  return {};
}

Vnode& Memfs::root() { return vnode_for(node_at(m_root_ino)); }

StatfsCounts Memfs::statfs() const {
  StatfsCounts counts;
  counts.bsize = m_params.fragment_size;
  counts.iosize = m_params.block_size;
  counts.blocks = m_params.total_fragments;
  std::uint64_t used = std::min(used_fragments(), m_params.total_fragments);
  counts.bfree = m_params.total_fragments - used;
  auto reserve = static_cast<std::int64_t>(m_params.total_fragments * m_params.minfree_percent / 100);
  counts.bavail = static_cast<std::int64_t>(counts.bfree) - reserve;
  counts.files = m_params.total_inodes;
  counts.ffree = static_cast<std::int64_t>(m_params.total_inodes) - static_cast<std::int64_t>(m_nodes.size());
  counts.namemax = static_cast<std::uint32_t>(kDirentNameMax);
  return counts;
}

std::uint64_t Memfs::storage_bytes(const MemfsNode& node) const {
  if (node.bytes.has_value()) return *node.bytes;
  switch (node.type) {
    case VType::VREG: return round_up(node.size, m_params.fragment_size);
    case VType::VDIR: return round_up(directory_image(node.ino).size(), m_params.fragment_size);
    case VType::VLNK:
      if (node.target.size() < m_params.max_short_symlink) return 0;
      return round_up(node.target.size(), m_params.fragment_size);
    default: return 0;
  }
}

std::uint64_t Memfs::used_fragments() const {
  std::uint64_t fragments = 0;
  for (const auto& entry : m_nodes) fragments += storage_bytes(entry.second) / m_params.fragment_size;
  return fragments;
}

// ---- Nodes and vnodes --------------------------------------------------------------------------

MemfsNode& Memfs::node_at(std::uint64_t ino) {
  auto it = m_nodes.find(ino);
  PROCSIM_ASSERT_MSG(it != m_nodes.end(), "memfs inode missing");
  return it->second;
}

MemfsNode& Memfs::node_of(const Vnode& vp) {
  PROCSIM_ASSERT(&vp.mount() == m_mount);
  MemfsNode& node = node_at(vp.fs_data());
  PROCSIM_ASSERT(node.vnode == &vp);
  return node;
}

MemfsNode* Memfs::find_entry(const MemfsNode& dir, std::string_view name) {
  for (const MemfsNode::Entry& entry : dir.entries) {
    if (entry.name == name) return &node_at(entry.ino);
  }
  return nullptr;
}

void Memfs::unlink_entry(MemfsNode& dir, std::string_view name) {
  auto it = std::find_if(dir.entries.begin(), dir.entries.end(),
                         [&](const MemfsNode::Entry& entry) { return entry.name == name; });
  PROCSIM_ASSERT(it != dir.entries.end());
  dir.entries.erase(it);
}

// One name fewer: the inode goes once it has no names and no users (ufs_inactive).
void Memfs::drop_link(MemfsNode& node) {
  PROCSIM_ASSERT(node.nlink > 0);
  if (node.type == VType::VDIR) {
    node.nlink = 0;  // a removed directory loses "." with its name
  } else {
    --node.nlink;
  }
  if (node.nlink > 0) return;
  if (node.vnode == nullptr) {
    m_nodes.erase(node.ino);
    return;
  }
  // A cached vnode nobody uses goes now; a used one when its last user lets go.
  if (node.vnode->usecount() == 0) vgone(*node.vnode);
}

Vnode& Memfs::vnode_for(MemfsNode& node) {
  PROCSIM_ASSERT_MSG(m_mount != nullptr, "memfs vnodes exist once it is mounted");
  if (node.vnode == nullptr) {
    node.vnode = &m_mount->allocate_vnode(node.type, *this, node.ino);
    CharDevice* device = device_of(node);
    if (device != nullptr && device->is_tty()) node.vnode->set_tty(true);
  }
  PROCSIM_ASSERT(node.vnode->fs_data() == node.ino);
  return *node.vnode;
}

KResult<Vnode*> Memfs::referenced_vnode(MemfsNode& node) {
  Vnode& vp = vnode_for(node);
  vref(vp);
  return &vp;
}

CharDevice* Memfs::device_of(const MemfsNode& node) const {
  if (node.type != VType::VCHR) return nullptr;
  return m_devices->find(node.rdev);
}

bool Memfs::owner_or_root(const MemfsNode& node, const Ucred& cred) const {
  return cred.uid == node.uid || cred.uid == kRootUid;
}

void Memfs::touch_changed(MemfsNode& node, const VfsContext& ctx) {
  node.mtime = ctx.now;
  node.ctime = ctx.now;
}

InactiveAction Memfs::inactive(Vnode& vp) {
  return node_of(vp).nlink == 0 ? InactiveAction::Recycle : InactiveAction::Keep;
}

void Memfs::reclaim(Vnode& vp) {
  MemfsNode& node = node_of(vp);
  node.vnode = nullptr;
  if (node.nlink == 0) m_nodes.erase(node.ino);
}

// ---- Name operations ---------------------------------------------------------------------------

KResult<void> Memfs::check_dir_write(MemfsNode& dir, const ComponentName&, const VfsContext& ctx) {
  if (m_mount->read_only()) return base::fail(Errno::Erofs);
  return vaccess_vattr(attributes_for_access(dir), VWRITE, ctx.cred);
}

// The sticky bit: in such a directory only the file's owner, the directory's owner or root may
// remove or rename an entry.
KResult<void> Memfs::check_sticky(const MemfsNode& dir, const MemfsNode& node, const VfsContext& ctx) const {
  if ((dir.mode & kSIsvtx) == 0) return {};
  if (owner_or_root(dir, ctx.cred) || owner_or_root(node, ctx.cred)) return {};
  return base::fail(Errno::Eperm);
}

KResult<Vnode*> Memfs::lookup(Vnode& dvp, const ComponentName& cnp, const VfsContext& ctx) {
  MemfsNode& dir = node_of(dvp);
  PROCSIM_ASSERT(dir.type == VType::VDIR);
  MemfsNode* found = nullptr;
  if (cnp.name == ".") {
    found = &dir;
  } else if (cnp.is_dotdot) {
    found = &node_at(dir.parent);
  } else {
    found = find_entry(dir, cnp.name);
  }
  bool creating = cnp.is_last && (cnp.op == NameiOp::Create || cnp.op == NameiOp::Rename);
  if (found == nullptr && creating) {
    TRY(check_dir_write(dir, cnp, ctx));
    return base::fail(Errno::Ejustreturn);
  }
  if (found == nullptr) return base::fail(Errno::Enoent);
  if (changes_name(cnp)) {
    TRY(check_dir_write(dir, cnp, ctx));
    TRY(check_sticky(dir, *found, ctx));
  }
  return referenced_vnode(*found);
}

KResult<MemfsNode*> Memfs::new_child(Vnode& dvp, const ComponentName& cnp, VType type, std::uint32_t mode,
                                     const VfsContext& ctx) {
  MemfsNode& dir = node_of(dvp);
  PROCSIM_ASSERT(dir.type == VType::VDIR);
  if (cnp.name.size() > kDirentNameMax) return base::fail(Errno::Enametoolong);
  if (find_entry(dir, cnp.name) != nullptr) return base::fail(Errno::Eexist);
  if (dir.nlink == 0) return base::fail(Errno::Enoent);  // the directory was removed meanwhile
  std::uint64_t ino = TRY(allocate_ino(std::nullopt));
  MemfsNode node;
  node.ino = ino;
  node.type = type;
  node.mode = mode & kAllPerms;
  node.uid = ctx.cred.uid;
  node.gid = dir.gid;  // BSD: a new file takes its directory's group
  node.nlink = type == VType::VDIR ? 2 : 1;
  node.atime = node.mtime = node.ctime = node.birthtime = ctx.now;
  MemfsNode& added = add_node(dir, cnp.name, std::move(node));
  touch_changed(dir, ctx);
  return &added;
}

KResult<Vnode*> Memfs::create(Vnode& dvp, const ComponentName& cnp, const Vattr& vap, const VfsContext& ctx) {
  PROCSIM_ASSERT(vap.type == VType::VREG);
  MemfsNode* node = TRY(new_child(dvp, cnp, VType::VREG, vap.mode, ctx));
  return referenced_vnode(*node);
}

KResult<Vnode*> Memfs::mkdir(Vnode& dvp, const ComponentName& cnp, const Vattr& vap, const VfsContext& ctx) {
  PROCSIM_ASSERT(vap.type == VType::VDIR);
  MemfsNode* node = TRY(new_child(dvp, cnp, VType::VDIR, vap.mode, ctx));
  return referenced_vnode(*node);
}

KResult<Vnode*> Memfs::symlink(Vnode& dvp, const ComponentName& cnp, const Vattr& vap,
                               std::string_view target, const VfsContext& ctx) {
  PROCSIM_ASSERT(vap.type == VType::VLNK);
  if (target.empty()) return base::fail(Errno::Enoent);
  MemfsNode* node = TRY(new_child(dvp, cnp, VType::VLNK, vap.mode, ctx));
  node->target = std::string(target);
  return referenced_vnode(*node);
}

KResult<void> Memfs::remove(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx) {
  MemfsNode& dir = node_of(dvp);
  MemfsNode& node = node_of(vp);
  PROCSIM_ASSERT(node.type != VType::VDIR);
  if ((node.flags & kImmutableFlags) != 0) return base::fail(Errno::Eperm);
  unlink_entry(dir, cnp.name);
  touch_changed(dir, ctx);
  node.ctime = ctx.now;
  drop_link(node);  // `vp` is referenced by the caller: the inode outlives this call
  return {};
}

KResult<void> Memfs::rmdir(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx) {
  MemfsNode& dir = node_of(dvp);
  MemfsNode& node = node_of(vp);
  PROCSIM_ASSERT(node.type == VType::VDIR);
  if (&dir == &node) return base::fail(Errno::Einval);
  if (!node.entries.empty()) return base::fail(Errno::Enotempty);
  unlink_entry(dir, cnp.name);
  PROCSIM_ASSERT(dir.nlink > 2);
  --dir.nlink;  // the child's ".." is gone
  touch_changed(dir, ctx);
  drop_link(node);
  return {};
}

// Moving a directory: not into itself or below it, and its ".." must be writable.
KResult<void> Memfs::rename_dir_checks(MemfsNode& fdir, MemfsNode& fn, MemfsNode& tdir,
                                       const VfsContext& ctx) {
  for (MemfsNode* p = &tdir;; p = &node_at(p->parent)) {
    if (p->ino == fn.ino) return base::fail(Errno::Einval);
    if (p->ino == m_root_ino) break;
  }
  if (&fdir != &tdir) TRY(vaccess_vattr(attributes_for_access(fn), VWRITE, ctx.cred));
  return {};
}

KResult<void> Memfs::rename(Vnode& fdvp, Vnode& fvp, const ComponentName& fcnp, Vnode& tdvp, Vnode* tvp,
                            const ComponentName& tcnp, const VfsContext& ctx) {
  if (fcnp.name == "." || fcnp.name == ".." || tcnp.name == "." || tcnp.name == "..") {
    return base::fail(Errno::Einval);
  }
  MemfsNode& fdir = node_of(fdvp);
  MemfsNode& fn = node_of(fvp);
  MemfsNode& tdir = node_of(tdvp);
  bool is_dir = fn.type == VType::VDIR;
  if (is_dir) TRY(rename_dir_checks(fdir, fn, tdir, ctx));
  MemfsNode* replaced = tvp != nullptr ? &node_of(*tvp) : nullptr;
  if (replaced != nullptr && replaced->type == VType::VDIR && !replaced->entries.empty()) {
    return base::fail(Errno::Enotempty);
  }
  if (replaced != nullptr) {
    // The target's entry keeps its place in the directory and now names the moved file.
    auto entry = std::find_if(tdir.entries.begin(), tdir.entries.end(),
                              [&](const MemfsNode::Entry& e) { return e.name == tcnp.name; });
    PROCSIM_ASSERT(entry != tdir.entries.end());
    entry->ino = fn.ino;
    if (replaced->type == VType::VDIR) --tdir.nlink;
    drop_link(*replaced);
  } else {
    tdir.entries.push_back(MemfsNode::Entry{std::string(tcnp.name), fn.ino});
  }
  unlink_entry(fdir, fcnp.name);
  if (is_dir && &fdir != &tdir) {
    fn.parent = tdir.ino;
    --fdir.nlink;
    ++tdir.nlink;
  }
  touch_changed(fdir, ctx);
  touch_changed(tdir, ctx);
  fn.ctime = ctx.now;
  return {};
}

// ---- Attributes --------------------------------------------------------------------------------

KResult<void> Memfs::access(Vnode& vp, Accmode accmode, const VfsContext& ctx) {
  MemfsNode& node = node_of(vp);
  if ((accmode & VWRITE) != 0) {
    bool on_disk = node.type == VType::VDIR || node.type == VType::VLNK || node.type == VType::VREG;
    if (on_disk && m_mount->read_only()) return base::fail(Errno::Erofs);
    if ((node.flags & kImmutableFlags) != 0) return base::fail(Errno::Eperm);
  }
  return vaccess_vattr(attributes_for_access(node), accmode, ctx.cred);
}

KResult<Vattr> Memfs::getattr(Vnode& vp, const VfsContext&) {
  const MemfsNode& node = node_of(vp);
  Vattr vap;
  vap.type = node.type;
  vap.mode = node.mode;
  vap.nlink = node.nlink;
  vap.uid = node.uid;
  vap.gid = node.gid;
  switch (node.type) {
    case VType::VREG: vap.size = node.size; break;
    case VType::VDIR: vap.size = directory_image(node.ino).size(); break;
    case VType::VLNK: vap.size = node.target.size(); break;
    default: vap.size = 0; break;
  }
  vap.blocksize = m_params.block_size;
  vap.bytes = storage_bytes(node);
  vap.fileid = node.ino;
  vap.fsid = m_mount->fsid();
  vap.atime = node.atime;
  vap.mtime = node.mtime;
  vap.ctime = node.ctime;
  vap.birthtime = node.birthtime;
  vap.flags = node.flags;
  vap.rdev = node.type == VType::VCHR || node.type == VType::VBLK ? node.rdev : 0;
  return vap;
}

KResult<void> Memfs::set_size(MemfsNode& node, std::uint64_t size, const VfsContext& ctx) {
  switch (node.type) {
    case VType::VDIR: return base::fail(Errno::Eisdir);
    case VType::VREG: break;
    case VType::VCHR:
    case VType::VBLK:
    case VType::VFIFO: return {};  // ufs_setattr ignores a size change on these
    default: return base::fail(Errno::Eopnotsupp);
  }
  if (m_mount->read_only()) return base::fail(Errno::Erofs);
  if ((node.flags & kImmutableFlags) != 0) return base::fail(Errno::Eperm);
  if (size > m_params.max_file_bytes) return base::fail(Errno::Efbig);
  if (node.data.size() > size) node.data.resize(static_cast<std::size_t>(size));
  node.size = size;
  touch_changed(node, ctx);
  return {};
}

KResult<void> Memfs::setattr(Vnode& vp, const SetattrRequest& request, const VfsContext& ctx) {
  MemfsNode& node = node_of(vp);
  bool allowed = owner_or_root(node, ctx.cred);
  if (request.flags.has_value()) {
    if (!allowed) return base::fail(Errno::Eperm);
    node.flags = *request.flags;
    node.ctime = ctx.now;
  }
  if (request.uid.has_value() || request.gid.has_value()) {
    // chown: root may do anything; an owner may only give the file to a group of its own.
    bool root = ctx.cred.uid == kRootUid;
    bool same_owner = request.uid.value_or(node.uid) == node.uid;
    bool own_group = groupmember(request.gid.value_or(node.gid), ctx.cred);
    if (!root && !(allowed && same_owner && own_group)) return base::fail(Errno::Eperm);
    node.uid = request.uid.value_or(node.uid);
    node.gid = request.gid.value_or(node.gid);
    node.ctime = ctx.now;
  }
  if (request.size.has_value()) TRY(set_size(node, *request.size, ctx));
  if (request.atime.has_value() || request.mtime.has_value()) {
    if (!allowed) return base::fail(Errno::Eperm);
    node.atime = request.atime.value_or(node.atime);
    node.mtime = request.mtime.value_or(node.mtime);
    node.ctime = ctx.now;
  }
  if (request.mode.has_value()) {
    if (!allowed) return base::fail(Errno::Eperm);
    node.mode = *request.mode & kAllPerms;
    node.ctime = ctx.now;
  }
  return {};
}

// ---- I/O ---------------------------------------------------------------------------------------

KResult<void> Memfs::open(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx) {
  MemfsNode& node = node_of(vp);
  if (node.type != VType::VCHR && node.type != VType::VBLK) return {};
  CharDevice* device = device_of(node);
  if (device == nullptr) return base::fail(Errno::Enxio);  // no driver behind the number
  vp.set_tty(device->is_tty());
  return device->open(dev_minor(node.rdev), fflags, ctx);
}

KResult<void> Memfs::close(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx) {
  MemfsNode& node = node_of(vp);
  CharDevice* device = device_of(node);
  // The driver hears only the last close of its node (the closing file's own reference).
  if (device == nullptr || vp.usecount() > 1) return {};
  return device->close(dev_minor(node.rdev), fflags, ctx);
}

KResult<void> Memfs::read(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx) {
  MemfsNode& node = node_of(vp);
  if (node.type == VType::VCHR) {
    CharDevice* device = device_of(node);
    if (device == nullptr) return base::fail(Errno::Enxio);
    return device->read(dev_minor(node.rdev), uio, ioflag, ctx);
  }
  if (uio.offset() < 0) return base::fail(Errno::Einval);
  auto offset = static_cast<std::uint64_t>(uio.offset());
  if (node.type == VType::VDIR) {
    // 8.3 ufs reads a directory as its raw blocks.
    base::Bytes image = directory_image(node.ino);
    if (offset < image.size()) uio.move_out(base::ByteSpan(image).subspan(static_cast<std::size_t>(offset)));
    return {};
  }
  if (node.type != VType::VREG) return base::fail(Errno::Einval);
  if (offset < node.data.size())
    uio.move_out(base::ByteSpan(node.data).subspan(static_cast<std::size_t>(offset)));
  // The sparse tail of a file whose reported size exceeds its contents reads as zeros.
  static constexpr std::array<std::uint8_t, 512> kZeros{};
  while (uio.resid() > 0 && static_cast<std::uint64_t>(uio.offset()) < node.size) {
    std::uint64_t left = node.size - static_cast<std::uint64_t>(uio.offset());
    uio.move_out(base::ByteSpan(kZeros).first(static_cast<std::size_t>(std::min<std::uint64_t>(left, 512))));
  }
  if ((m_mount->flags() & kMntNoatime) == 0) node.atime = ctx.now;
  return {};
}

KResult<void> Memfs::write_regular(MemfsNode& node, Uio& uio, IoFlags ioflag, const VfsContext& ctx) {
  if ((ioflag & kIoAppend) != 0) uio.set_offset(static_cast<std::int64_t>(node.size));
  if (uio.offset() < 0) return base::fail(Errno::Einval);
  if (uio.resid() == 0) return {};
  auto offset = static_cast<std::uint64_t>(uio.offset());
  std::uint64_t end = offset + uio.resid();
  if (end > m_params.max_file_bytes) return base::fail(Errno::Efbig);
  // Materialise the zeros of a sparse tail and any hole the write leaves before it.
  std::size_t needed = static_cast<std::size_t>(std::max(node.size, end));
  if (node.data.size() < needed) node.data.resize(needed, 0);
  base::ByteSpan bytes = uio.move_in(uio.resid());
  std::copy(bytes.begin(), bytes.end(), node.data.begin() + static_cast<std::ptrdiff_t>(offset));
  node.size = std::max(node.size, end);
  touch_changed(node, ctx);
  PROCSIM_ASSERT(node.data.size() >= node.size);
  return {};
}

KResult<void> Memfs::write(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx) {
  MemfsNode& node = node_of(vp);
  switch (node.type) {
    case VType::VREG: return write_regular(node, uio, ioflag, ctx);
    case VType::VCHR: {
      CharDevice* device = device_of(node);
      if (device == nullptr) return base::fail(Errno::Enxio);
      return device->write(dev_minor(node.rdev), uio, ioflag, ctx);
    }
    case VType::VDIR: return base::fail(Errno::Eisdir);
    default: return base::fail(Errno::Eopnotsupp);
  }
}

KResult<void> Memfs::ioctl(Vnode& vp, std::uint32_t command, base::MutableByteSpan data, std::uint32_t fflags,
                           const VfsContext& ctx) {
  MemfsNode& node = node_of(vp);
  CharDevice* device = device_of(node);
  if (device == nullptr) return base::fail(Errno::Enotty);
  return device->ioctl(dev_minor(node.rdev), command, data, fflags, ctx);
}

KResult<void> Memfs::readdir(Vnode& vp, Uio& uio, const VfsContext&) {
  MemfsNode& node = node_of(vp);
  PROCSIM_ASSERT(node.type == VType::VDIR);
  if (uio.offset() < 0) return base::fail(Errno::Einval);
  // ufs_readdir: the transfer must end on a directory block boundary.
  auto end = static_cast<std::uint64_t>(uio.offset()) + uio.resid();
  std::uint64_t cut = end % kDirBlockSize;
  if (uio.resid() <= cut) return base::fail(Errno::Einval);
  uio.limit_resid(static_cast<std::size_t>(uio.resid() - cut));
  base::Bytes image = directory_image(node.ino);
  auto offset = static_cast<std::uint64_t>(uio.offset());
  if (offset < image.size()) uio.move_out(base::ByteSpan(image).subspan(static_cast<std::size_t>(offset)));
  return {};
}

KResult<void> Memfs::readlink(Vnode& vp, Uio& uio, const VfsContext&) {
  MemfsNode& node = node_of(vp);
  if (node.type != VType::VLNK) return base::fail(Errno::Einval);
  const auto* text = reinterpret_cast<const std::uint8_t*>(node.target.data());
  uio.move_out(base::ByteSpan(text, node.target.size()));
  return {};
}

}  // namespace procsim::vfs
