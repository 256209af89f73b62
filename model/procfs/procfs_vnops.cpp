// procfs's namespace operations: lookup, getattr, access, open, close, setattr, readdir and
// readlink in each era's rules (spec/procfs.md §1, §2, §7, §8.1-§8.4). Reads, writes and ctl are
// in procfs_rw.cpp; the PIOC ioctls in procfs_ioctl.cpp.
#include "model/procfs/procfs_vnops.h"

#include <limits>
#include <vector>

#include "model/kern/cred_policy.h"
#include "model/machine/reg_layout.h"
#include "model/procfs/access.h"
#include "model/procfs/dirent.h"
#include "model/procfs/fill_link.h"
#include "model/procfs/proc_snapshot.h"
#include "model/procfs/procfs_vfs.h"
#include "model/vfs/namei.h"
#include "model/vm/map_format.h"
#include "model/vm/vm_map.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

using vfs::Errno;

namespace {

// PFS_NAMELEN: pseudofs refuses longer names before looking at them.
constexpr std::size_t kPfsNameLen = 24;

// atopid(): an all-digit name whose value is at most pid_max; leading zeros are accepted.
std::optional<kern::Pid> parse_pid(std::string_view name, std::int32_t pid_max) {
  if (name.empty()) return std::nullopt;
  std::int64_t value = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > pid_max) return std::nullopt;
  }
  return kern::Pid(static_cast<std::int32_t>(value));
}

bool changes_name(const vfs::ComponentName& cnp) {
  return cnp.is_last && (cnp.op == vfs::NameiOp::Delete || cnp.op == vfs::NameiOp::Rename);
}

// A name that is not there: FreeBSD 4 answers a CREATE lookup with EROFS (spec §7.1).
Errno missing_error(Era era, const vfs::ComponentName& cnp) {
  if (era != Era::FreeBSD8 && cnp.is_last && cnp.op == vfs::NameiOp::Create) return Errno::Erofs;
  return Errno::Enoent;
}

vfs::Vnode* referenced(vfs::Vnode& vp) {
  vfs::vref(vp);
  return &vp;
}

// p_textvp's path: the first executable mapping backed by a file, as vn_fullpath() names it.
std::optional<std::string> mapped_text_path(const kern::Proc& p) {
  if (p.vmspace == nullptr) return std::nullopt;
  for (const vm::MapEntry& entry : p.vmspace->entries()) {
    if ((entry.protection & vm::VM_PROT_EXECUTE) == 0) continue;
    vm::MapLineColumns columns = vm::describe_entry(*p.vmspace, entry, vm::MapFormatOptions{});
    if (columns.type == "vnode" && columns.path != "-") return std::string(columns.path);
  }
  return std::nullopt;
}

vfs::VType vtype_of(VnodeKind kind) {
  switch (kind) {
    case VnodeKind::Directory: return vfs::VType::VDIR;
    case VnodeKind::Regular: return vfs::VType::VREG;
    case VnodeKind::Symlink: return vfs::VType::VLNK;
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace

// ---- Finding processes --------------------------------------------------------------------------

kern::Proc* ProcfsVnodeOps::caller(const vfs::VfsContext& ctx) const {
  return m_fs->kernel().find_proc(kern::Pid(static_cast<std::int32_t>(ctx.caller_pid)));
}

ReaderView ProcfsVnodeOps::reader_view(const vfs::VfsContext& ctx, const kern::Proc& target) const {
  kern::Proc* reader = caller(ctx);
  PROCSIM_ASSERT_MSG(reader != nullptr, "procfs is used by a process");
  return reader_view_of(m_fs->kernel(), *reader, target);
}

kern::Proc* ProcfsVnodeOps::target_of(kern::Pid pid, const vfs::VfsContext& ctx) const {
  kern::Proc* p = m_fs->kernel().pfind(pid);
  if (p == nullptr || m_fs->era() != Era::FreeBSD8) return p;
  // pfs_visible(): an exiting process or one the reader may not see is gone (spec §1.4).
  if ((p->flag & kern::P_WEXIT) != 0) return nullptr;
  if (!reader_view(ctx, *p).can_see) return nullptr;
  return p;
}

bool ProcfsVnodeOps::visible(Node node, kern::Pid pid, const vfs::VfsContext& ctx) const {
  PROCSIM_ASSERT(m_fs->era() == Era::FreeBSD8);
  if (node == Node::Root || node == Node::Curproc) return true;
  kern::Proc* p = m_fs->kernel().pfind(pid);
  VisibilityInputs in;
  in.process_found = p != nullptr;
  if (p != nullptr) {
    ReaderView reader = reader_view(ctx, *p);
    in.p_flag = p->flag;
    in.can_see = reader.can_see;
    in.can_debug = reader.can_debug();
  }
  return pseudofs_visible(node, in);
}

std::optional<std::string> ProcfsVnodeOps::text_path(const kern::Proc& p) const {
  if (m_fs->seams().text_path) return m_fs->seams().text_path(p);
  return mapped_text_path(p);
}

// ---- Attributes ---------------------------------------------------------------------------------

vfs::KResult<NodeAttributes> ProcfsVnodeOps::attributes(const vfs::Vnode& vp,
                                                        const vfs::VfsContext& ctx) const {
  Era era = m_fs->era();
  Node node = key_node(vp.fs_data());
  kern::Pid pid = key_pid(vp.fs_data());
  AttrInputs in;
  in.caller_pid = kern::Pid(static_cast<std::int32_t>(ctx.caller_pid));
  if (node == Node::Root || node == Node::Curproc) return node_attributes(era, node, in);
  kern::Proc* p = target_of(pid, ctx);
  if (p == nullptr) return base::fail(Errno::Enoent);
  if (era == Era::FreeBSD8 && !visible(node, pid, ctx)) return base::fail(Errno::Enoent);
  in.target_cred = &p->cred;
  in.target_flags = p->flag;
  in.target_pid = pid;
  in.register_sizes = m_fs->seams().register_sizes;
  if (!m_fs->seams().read_registers) {
    in.register_sizes = RegisterSizes{machine::register_layout(p->abi, machine::RegSet::Reg).size_bytes,
                                      machine::register_layout(p->abi, machine::RegSet::FpReg).size_bytes,
                                      machine::register_layout(p->abi, machine::RegSet::DbReg).size_bytes};
  }
  if (std::optional<std::string> path = text_path(*p)) in.link_target_length = path->size();
  // 4.4BSD sizes mem as the image: ctob(vm_tsize + vm_dsize + vm_ssize), the README's 118784.
  // A process that never exec'd has no text and counts 0 (docs/deviations.md 233).
  if (era == Era::Bsd44 && node == Node::Mem && p->vmspace != nullptr) {
    const vm::VmspaceSizes& sizes = p->vmspace->vmspace();
    if (sizes.tsize_pages > 0) {
      in.mem_image_bytes = (sizes.tsize_pages + sizes.dsize_pages + sizes.ssize_pages) * vfs::kPageSize;
    }
  }
  return node_attributes(era, node, in);
}

vfs::KResult<vfs::Vattr> ProcfsVnodeOps::getattr(vfs::Vnode& vp, const vfs::VfsContext& ctx) {
  NodeAttributes attributes_value = TRY(attributes(vp, ctx));
  vfs::Vattr vap;
  vap.type = vtype_of(attributes_value.kind);
  vap.mode = attributes_value.mode;
  vap.nlink = attributes_value.nlink;
  vap.uid = attributes_value.uid;
  vap.gid = attributes_value.gid;
  vap.size = attributes_value.size;
  vap.blocksize = vfs::kPageSize;
  // spec §1.3: FreeBSD 4 reports the size as the bytes used, pseudofs 0.
  vap.bytes = m_fs->era() == Era::FreeBSD8 ? 0 : attributes_value.size;
  vap.fileid = attributes_value.fileno;
  // spec §8.4: every time stamp is "now" at each stat.
  vap.atime = ctx.now;
  vap.mtime = ctx.now;
  vap.ctime = ctx.now;
  PROCSIM_ASSERT(vap.type == vp.type());
  return vap;
}

vfs::KResult<void> ProcfsVnodeOps::access(vfs::Vnode& vp, vfs::Accmode accmode, const vfs::VfsContext& ctx) {
  NodeAttributes attributes_value = TRY(attributes(vp, ctx));
  return check_node_access(m_fs->era(), attributes_value, accmode, ctx.cred);
}

// spec §7.1, §7.2: the vnode-ops eras pretend to change attributes except file flags; FreeBSD 8's
// pseudofs refuses every change, so an O_TRUNC open fails (§4.1).
vfs::KResult<void> ProcfsVnodeOps::setattr(vfs::Vnode&, const vfs::SetattrRequest& request,
                                           const vfs::VfsContext&) {
  if (m_fs->era() == Era::FreeBSD8) return base::fail(Errno::Eopnotsupp);
  if (request.flags.has_value()) return base::fail(Errno::Eopnotsupp);
  return {};
}

vfs::KResult<void> ProcfsVnodeOps::advlock(vfs::Vnode&, bool, const vfs::VfsContext&) {
  if (m_fs->era() == Era::FreeBSD8) return base::fail(Errno::Eopnotsupp);
  return {};
}

vfs::InactiveAction ProcfsVnodeOps::inactive(vfs::Vnode&) { return vfs::InactiveAction::Keep; }

void ProcfsVnodeOps::reclaim(vfs::Vnode& vp) { m_fs->forget(vp); }

// ---- Lookup -------------------------------------------------------------------------------------

vfs::KResult<vfs::Vnode*> ProcfsVnodeOps::lookup(vfs::Vnode& dvp, const vfs::ComponentName& cnp,
                                                 const vfs::VfsContext& ctx) {
  Node node = key_node(dvp.fs_data());
  if (node != Node::Root && node != Node::ProcDir) return base::fail(Errno::Enotdir);
  if (changes_name(cnp)) {
    return base::fail(m_fs->era() == Era::FreeBSD8 ? Errno::Eopnotsupp : Errno::Erofs);
  }
  if (m_fs->era() == Era::FreeBSD8 && cnp.name.size() >= kPfsNameLen) return base::fail(Errno::Enoent);
  if (cnp.name == ".") return referenced(dvp);
  if (node == Node::Root) return lookup_in_root(dvp, cnp, ctx);
  return lookup_in_proc_dir(dvp, cnp, ctx);
}

vfs::KResult<vfs::Vnode*> ProcfsVnodeOps::lookup_in_root(vfs::Vnode&, const vfs::ComponentName& cnp,
                                                         const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  // namei crosses ".." at a mount's root itself; one reaching procfs is refused.
  if (cnp.is_dotdot) return base::fail(Errno::Eio);
  if (cnp.name == "curproc") {
    if (profile(era).curproc == CurprocForm::Symlink)
      return referenced(m_fs->vnode_for(Node::Curproc, kern::Pid(0)));
    // 4.4BSD: the caller's own process directory, same vnode and inode number (spec §2.1).
    kern::Proc* self = caller(ctx);
    if (self == nullptr) return base::fail(Errno::Enoent);
    return referenced(m_fs->vnode_for(Node::ProcDir, self->pid()));
  }
  std::optional<kern::Pid> pid = parse_pid(cnp.name, profile(era).pid_max);
  if (!pid.has_value() || target_of(*pid, ctx) == nullptr) return base::fail(missing_error(era, cnp));
  return referenced(m_fs->vnode_for(Node::ProcDir, *pid));
}

vfs::KResult<vfs::Vnode*> ProcfsVnodeOps::lookup_in_proc_dir(vfs::Vnode& dvp, const vfs::ComponentName& cnp,
                                                             const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  kern::Pid pid = key_pid(dvp.fs_data());
  kern::Proc* p = target_of(pid, ctx);
  if (p == nullptr) return base::fail(Errno::Enoent);
  if (cnp.is_dotdot) return referenced(m_fs->root());
  std::optional<Node> node = lookup_proc_entry(era, cnp.name);
  if (!node.has_value()) return base::fail(missing_error(era, cnp));
  const NodeRow& row = node_row(era, *node);
  bool can_debug = era == Era::FreeBSD8 && reader_view(ctx, *p).can_debug();
  // spec §1.2: a node whose presence test fails is ENOENT though its name is in the table.
  if (!node_present(row, p->flag, can_debug)) return base::fail(Errno::Enoent);
  if (row.yields_text_vnode) return lookup_text_vnode(*p, ctx);
  return referenced(m_fs->vnode_for(*node, pid));
}

// 4.4BSD: `file` is the executable's own vnode, found by its path from the root.
vfs::KResult<vfs::Vnode*> ProcfsVnodeOps::lookup_text_vnode(kern::Proc& target, const vfs::VfsContext& ctx) {
  std::optional<std::string> path = text_path(target);
  if (!path.has_value()) return base::fail(Errno::Enoent);
  vfs::NameiRequest request;
  request.path = *path;
  vfs::VfsContext from_root{ctx.cred, ctx.root, ctx.root, ctx.caller_pid, ctx.era, ctx.now};
  vfs::NameiResult nd = TRY(vfs::namei(from_root, request));
  PROCSIM_ASSERT(nd.vp);
  return nd.vp.release();
}

// ---- Open and close -----------------------------------------------------------------------------

// spec §7.1, §5.2: the vnode-ops eras check the process, the jail and, for mem, exclusivity,
// exec and CHECKIO at open. FreeBSD 8's open checks nothing that can fail (§7.2).
vfs::KResult<void> ProcfsVnodeOps::open(vfs::Vnode& vp, std::uint32_t fflags, const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  Node node = key_node(vp.fs_data());
  if (era == Era::FreeBSD8 || node == Node::Root || node == Node::Curproc) return {};
  kern::Proc* p = target_of(key_pid(vp.fs_data()), ctx);
  if (p == nullptr) return base::fail(Errno::Enoent);
  kern::Proc* reader = caller(ctx);
  PROCSIM_ASSERT(reader != nullptr);
  VnodeOpenRequest request;
  request.node = node;
  request.target_pid = p->pid();
  request.target_flags = p->flag;
  request.same_prison = kern::prison_check_flat(reader->cred, p->cred);
  request.for_write = (fflags & vfs::kFWrite) != 0;
  request.exclusive = (fflags & vfs::kOExcl) != 0;
  if (node == Node::Mem) request.mem = m_fs->mem_state(vp);
  MemOpenState after = TRY(vnode_open_gate(era, request, reader_view(ctx, *p)));
  if (node == Node::Mem) m_fs->mem_state(vp) = after;
  return {};
}

// spec §6.3: the last close of mem releases the target's stop events unless PF_LINGER; FreeBSD 4
// also forgets the exclusive-open bits of a write descriptor (§5.2).
vfs::KResult<void> ProcfsVnodeOps::close(vfs::Vnode& vp, std::uint32_t fflags, const vfs::VfsContext&) {
  Era era = m_fs->era();
  if (key_node(vp.fs_data()) != Node::Mem || era == Era::Bsd44) return {};
  if (era != Era::FreeBSD8) {
    MemOpenState& state = m_fs->mem_state(vp);
    state = mem_close(state, (fflags & vfs::kFWrite) != 0);
  }
  // The closing descriptor still holds its reference: one left means this is the last.
  if (vp.usecount() <= 1) release_stops(key_pid(vp.fs_data()));
  return {};
}

void ProcfsVnodeOps::release_stops(kern::Pid pid) {
  kern::Kernel& kernel = m_fs->kernel();
  kern::Proc* p = kernel.pfind(pid);
  if (p == nullptr || (p->pfsflags & kern::PF_LINGER) != 0) return;
  p->stops = 0;
  p->step = false;
  if (m_fs->era() == Era::FreeBSD8) p->pfsflags = 0;
  kernel.wakeup(kern::WaitChannel{kern::WaitChannel::Kind::ProcStep, pid.value()});
}

// ---- Directories and links ----------------------------------------------------------------------

vfs::KResult<void> ProcfsVnodeOps::readdir(vfs::Vnode& vp, vfs::Uio& uio, const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  kern::Kernel& kernel = m_fs->kernel();
  kern::Proc* reader = caller(ctx);
  PROCSIM_ASSERT(reader != nullptr);
  DirListing listing;
  if (key_node(vp.fs_data()) == Node::Root) {
    std::vector<RootProcEntry> allproc;
    for (const kern::Proc* p : kernel.allproc()) {
      if (p->state() != kern::ProcState::PRS_NORMAL) continue;
      bool listed = true;
      if (era == Era::FreeBSD4) listed = kern::prison_check_flat(reader->cred, p->cred);
      if (era == Era::FreeBSD8) listed = (p->flag & kern::P_WEXIT) == 0 && reader_view(ctx, *p).can_see;
      allproc.push_back(RootProcEntry{p->pid(), listed});
    }
    listing = root_listing(era, allproc);
  } else {
    PROCSIM_ASSERT(key_node(vp.fs_data()) == Node::ProcDir);
    kern::Proc* p = target_of(key_pid(vp.fs_data()), ctx);
    if (p == nullptr) return base::fail(Errno::Enoent);
    ProcDirFacts facts;
    facts.pid = p->pid();
    facts.p_flag = p->flag;
    facts.can_debug = era == Era::FreeBSD8 && reader_view(ctx, *p).can_debug();
    facts.readable = era != Era::FreeBSD4 || kern::prison_check_flat(reader->cred, p->cred);
    listing = proc_dir_listing(era, facts);
  }
  DirRead read = TRY(read_directory(era, listing, DirReadRequest{uio.offset(), uio.resid()}));
  std::size_t moved = uio.move_out(read.bytes);
  PROCSIM_ASSERT(moved == read.bytes.size());
  uio.set_offset(read.offset);
  return {};
}

vfs::KResult<void> ProcfsVnodeOps::readlink(vfs::Vnode& vp, vfs::Uio& uio, const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  std::string target;
  if (key_node(vp.fs_data()) == Node::Curproc) {
    target = TRY(fill_curproc_link(era, kern::Pid(static_cast<std::int32_t>(ctx.caller_pid))));
  } else {
    PROCSIM_ASSERT(key_node(vp.fs_data()) == Node::File);
    kern::Proc* p = target_of(key_pid(vp.fs_data()), ctx);
    // spec §7.2: pseudofs refuses a link of a process that is gone or exiting.
    if (p == nullptr && era == Era::FreeBSD8) return base::fail(Errno::Eio);
    std::optional<std::string> path;
    if (p != nullptr) path = text_path(*p);
    target = TRY(fill_file_link(era, path));
  }
  uio.move_out(base::ByteSpan(reinterpret_cast<const std::uint8_t*>(target.data()), target.size()));
  return {};
}

}  // namespace procsim::procfs
