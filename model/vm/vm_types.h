// Vocabulary of the VM layer: FreeBSD 8.3's protection bits, map-entry flags, vm_map_insert
// cow flags, inheritance, object types and flags, KERN_* results, and the caller facts that
// FreeBSD reads from curthread/curproc. Values are FreeBSD's (spec/kernel.md §5.1); page size is
// fixed at 4096, which every architecture procsim models uses.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/base/assert.h"
#include "sim/base/strong_id.h"

namespace procsim::vm {

// A simulated virtual address or a byte offset into a VM object (FreeBSD's vm_offset_t and
// vm_ooffset_t). Never a host pointer. Left as a plain integer because page arithmetic is
// everywhere in this layer; the strong type sits at the kernel boundary.
using VmOffset = std::uint64_t;

// A real user id as the VM sees it (the uidinfo a charge belongs to).
using Uid = base::StrongId<struct UidTag, std::uint32_t>;

// Stable name of a VM object inside one VmObjectStore; never reused, so output that names
// objects (the procfs map "object" column) does not depend on allocation history elsewhere.
using ObjectId = base::StrongId<struct ObjectIdTag, std::uint32_t>;

constexpr std::uint64_t kPageSize = 4096;
constexpr std::uint64_t kPageMask = kPageSize - 1;
constexpr std::uint64_t kRlimInfinity = 0x7fffffffffffffffULL;

constexpr VmOffset trunc_page(VmOffset value) { return value & ~kPageMask; }
constexpr VmOffset round_page(VmOffset value) { return (value + kPageMask) & ~kPageMask; }
constexpr bool page_aligned(VmOffset value) { return (value & kPageMask) == 0; }
constexpr std::uint64_t atop(std::uint64_t bytes) { return bytes / kPageSize; }
constexpr std::uint64_t ptoa(std::uint64_t pages) { return pages * kPageSize; }

// vm_prot_t (sys/vm/vm.h).
using Prot = std::uint8_t;
constexpr Prot VM_PROT_NONE = 0x00;
constexpr Prot VM_PROT_READ = 0x01;
constexpr Prot VM_PROT_WRITE = 0x02;
constexpr Prot VM_PROT_EXECUTE = 0x04;
constexpr Prot VM_PROT_OVERRIDE_WRITE = 0x08;
constexpr Prot VM_PROT_ALL = VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE;

// vm_inherit_t.
enum class Inheritance : std::uint8_t {
  VM_INHERIT_SHARE = 0,
  VM_INHERIT_COPY = 1,
  VM_INHERIT_NONE = 2,
};

// vm_map_entry eflags (sys/vm/vm_map.h).
using EntryFlags = std::uint32_t;
constexpr EntryFlags MAP_ENTRY_NOSYNC = 0x0001;
constexpr EntryFlags MAP_ENTRY_IS_SUB_MAP = 0x0002;
constexpr EntryFlags MAP_ENTRY_COW = 0x0004;
constexpr EntryFlags MAP_ENTRY_NEEDS_COPY = 0x0008;
constexpr EntryFlags MAP_ENTRY_NOFAULT = 0x0010;
constexpr EntryFlags MAP_ENTRY_USER_WIRED = 0x0020;
constexpr EntryFlags MAP_ENTRY_BEHAV_NORMAL = 0x0000;
constexpr EntryFlags MAP_ENTRY_BEHAV_SEQUENTIAL = 0x0040;
constexpr EntryFlags MAP_ENTRY_BEHAV_RANDOM = 0x0080;
constexpr EntryFlags MAP_ENTRY_BEHAV_MASK = 0x00c0;
constexpr EntryFlags MAP_ENTRY_IN_TRANSITION = 0x0100;
constexpr EntryFlags MAP_ENTRY_NEEDS_WAKEUP = 0x0200;
constexpr EntryFlags MAP_ENTRY_NOCOREDUMP = 0x0400;
constexpr EntryFlags MAP_ENTRY_GROWS_DOWN = 0x1000;
constexpr EntryFlags MAP_ENTRY_GROWS_UP = 0x2000;
constexpr EntryFlags MAP_ENTRY_WIRE_SKIPPED = 0x4000;

// vm_map_insert "cow" argument bits.
using CowFlags = std::uint32_t;
constexpr CowFlags MAP_COPY_ON_WRITE = 0x0002;
constexpr CowFlags MAP_NOFAULT = 0x0004;
constexpr CowFlags MAP_PREFAULT = 0x0008;
constexpr CowFlags MAP_PREFAULT_PARTIAL = 0x0010;
constexpr CowFlags MAP_DISABLE_SYNCER = 0x0020;
constexpr CowFlags MAP_DISABLE_COREDUMP = 0x0100;
constexpr CowFlags MAP_PREFAULT_MADVISE = 0x0200;
constexpr CowFlags MAP_STACK_GROWS_DOWN = 0x1000;
constexpr CowFlags MAP_STACK_GROWS_UP = 0x2000;
constexpr CowFlags MAP_ACC_CHARGED = 0x4000;
constexpr CowFlags MAP_ACC_NO_CHARGE = 0x8000;

// enum obj_type (8.3 sys/vm/vm.h).
enum class ObjectType : std::uint8_t {
  OBJT_DEFAULT = 0,
  OBJT_SWAP = 1,
  OBJT_VNODE = 2,
  OBJT_DEVICE = 3,
  OBJT_PHYS = 4,
  OBJT_DEAD = 5,
  OBJT_SG = 6,
};

// vm_object flags (8.3 sys/vm/vm_object.h).
using ObjectFlags = std::uint16_t;
constexpr ObjectFlags OBJ_ACTIVE = 0x0004;
constexpr ObjectFlags OBJ_DEAD = 0x0008;
constexpr ObjectFlags OBJ_NOSPLIT = 0x0010;
constexpr ObjectFlags OBJ_PIPWNT = 0x0040;
constexpr ObjectFlags OBJ_MIGHTBEDIRTY = 0x0100;
constexpr ObjectFlags OBJ_CLEANING = 0x0200;
constexpr ObjectFlags OBJ_COLORED = 0x1000;
constexpr ObjectFlags OBJ_ONEMAPPING = 0x2000;
constexpr ObjectFlags OBJ_DISCONNECTWNT = 0x4000;

// KERN_* results of the Mach-derived VM interfaces (sys/vm/vm_param.h).
enum class KernReturn : std::uint8_t {
  KERN_SUCCESS = 0,
  KERN_INVALID_ADDRESS = 1,
  KERN_PROTECTION_FAILURE = 2,
  KERN_NO_SPACE = 3,
  KERN_INVALID_ARGUMENT = 4,
  KERN_FAILURE = 5,
  KERN_RESOURCE_SHORTAGE = 6,
};

std::string_view kern_return_name(KernReturn result);

// The errno values the VM hands to system calls. The numbers are FreeBSD's, so the vfs Errno
// table above this layer converts by value. (The enumerators cannot be spelled ENOMEM etc.:
// <cerrno> defines those as macros; vm_errno_name() gives the FreeBSD spelling.)
enum class VmErrno : std::uint8_t {
  Enoexec = 8,
  Enomem = 12,
  Eacces = 13,
  Efault = 14,
  Einval = 22,
};

std::string_view vm_errno_name(VmErrno error);

// What each system call returns for a KERN_* result (8.3 vm_mmap.c). KERN_SUCCESS has no errno
// and must not be passed.
VmErrno errno_for_mmap(KernReturn result);
VmErrno errno_for_mprotect(KernReturn result);
VmErrno errno_for_munmap(KernReturn result);

// What FreeBSD's VM reads from curthread and curproc: the real uid that new swap reservations
// are charged to, the limits they are checked against, the two swap privileges (root holds
// both), and the clock that rate-limits console messages. Callers build one per operation.
struct Caller {
  Uid ruid{0};
  std::int32_t pid = 0;
  std::uint64_t rlimit_swap_cur = kRlimInfinity;
  std::uint64_t rlimit_stack_cur = kRlimInfinity;
  std::uint64_t rlimit_vmem_cur = kRlimInfinity;
  bool priv_vm_swap_noquota = false;
  bool priv_vm_swap_norlimit = false;
  std::uint64_t now_ticks = 0;
};

}  // namespace procsim::vm
