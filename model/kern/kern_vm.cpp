// The kernel's side of address spaces (spec/kernel.md §5): the caller facts the VM layer reads
// from the current thread, the address space of a process created without an image, releasing
// a map at exit, and proc_rwmem for debuggers. The VM itself (maps, objects, faults, swap
// books) is model/vm; the system calls that change a map are in sys_vm.cpp.
#include "model/kern/kernel.h"

#include "model/kern/proc_memory.h"
#include "model/vm/rwmem.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

RwmemResult kern_result(const vm::RwmemResult& result) {
  RwmemResult out;
  out.moved = result.moved;
  if (result.error) out.error = errno_from_vm(*result.error);
  return out;
}

}  // namespace

vm::SwapConfig KernelConfig::default_swap_config() {
  vm::SwapConfig swap;
  // A simulated 1 GiB machine with as much swap configured; vm.overcommit is FreeBSD's 0.
  swap.swap_total_bytes = kSimulatedPhyspages * kSimulatedPageSize;
  swap.nonwired_reservable_pages = kSimulatedFreePagesAtBoot;
  return swap;
}

vm::Caller Kernel::vm_caller(const Proc& p) const {
  vm::Caller caller;
  caller.ruid = p.cred.ruid;
  caller.pid = p.pid().value();
  caller.rlimit_swap_cur = p.limits.get(Rlimit::Swap).cur;
  caller.rlimit_stack_cur = p.limits.get(Rlimit::Stack).cur;
  caller.rlimit_vmem_cur = p.limits.get(Rlimit::Vmem).cur;
  // PRIV_VM_SWAP_NOQUOTA and PRIV_VM_SWAP_NORLIMIT are plain superuser privileges.
  bool root = privileged(p.cred);
  caller.priv_vm_swap_noquota = root;
  caller.priv_vm_swap_norlimit = root;
  caller.now_ticks = m_engine.now().value();
  return caller;
}

namespace {

// Maps [start, start + length) anonymous read-write for set-up the kernel does on the process's
// behalf, which is never refused: reserve by force first and insert as already charged, so the
// books balance when the map is freed.
void map_kernel_region(vm::VmMap& map, vm::SwapAccount& swap, vm::VmOffset start, std::uint64_t length,
                       const vm::Caller& caller) {
  PROCSIM_ASSERT(vm::page_aligned(start) && vm::page_aligned(length));
  swap.reserve_force(length, caller);
  vm::KernReturn result =
      map.insert(std::nullopt, 0, start, start + length, vm::VM_PROT_READ | vm::VM_PROT_WRITE,
                 vm::VM_PROT_ALL, vm::MAP_ACC_CHARGED, caller);
  PROCSIM_ASSERT(result == vm::KernReturn::KERN_SUCCESS);
}

}  // namespace

// The host argument scratch sits just below the stack's reserved range.
void Kernel::map_host_scratch(vm::VmMap& map, Proc& p) {
  const vm::VmspaceSizes& sizes = map.vmspace();
  std::uint64_t length = UserContext::kScratchBytes * UserContext::kScratchLevels;
  vm::VmOffset start = vm::trunc_page(sizes.maxsaddr - length);
  map_kernel_region(map, m_swap, start, length, vm_caller(p));
  p.host_scratch_base = start;
}

std::unique_ptr<vm::VmMap> Kernel::imageless_vmspace(Proc& p, ImagelessKind kind) {
  std::unique_ptr<vm::VmMap> map = vm::new_exec_vmspace(m_vm_objects, m_config.address_space, vm_caller(p));
  PROCSIM_ASSERT_MSG(map != nullptr, "a fresh address space always has room for its stack");
  switch (kind) {
    case ImagelessKind::HostProgram: map_host_scratch(*map, p); break;
    case ImagelessKind::Scripted:
      map_kernel_region(*map, m_swap, kScriptScratchAddr, kScriptScratchBytes, vm_caller(p));
      p.host_scratch_base = 0;
      break;
  }
  // Without an image there is no data segment: break(2) starts its heap just above the
  // scripted-call scratch region, where no other mapping of these processes lies.
  map->vmspace().daddr = kScriptScratchAddr + kScriptScratchBytes;
  map->vmspace().dsize_pages = 0;
  return map;
}

vm::ObjectId Kernel::vnode_object(const vfs::Vnode& vp, const base::Bytes& contents, std::string_view path) {
  auto cached = m_image_objects.find(vp.serial());
  if (cached == m_image_objects.end() || cached->second.contents != contents) {
    // New or rewritten contents get an object of their own; mappings of the old stay intact.
    auto backing = std::make_shared<const vm::BytesVnode>(std::string(path), contents);
    vm::ObjectId object = m_vm_objects.allocate_vnode_object(backing);
    cached = m_image_objects.insert_or_assign(vp.serial(), ImageObject{object, contents}).first;
  }
  PROCSIM_ASSERT(m_vm_objects.exists(cached->second.object));
  return cached->second.object;
}

// exit1 releases the address space before the process becomes a zombie (vmspace_exit): every
// entry goes, and with it every swap charge the map held.
void Kernel::release_vmspace(Proc& p) {
  p.vmspace.reset();
  p.host_scratch_base = 0;
  PROCSIM_ASSERT(p.vmspace == nullptr);
}

RwmemResult Kernel::proc_rwmem(Proc& target, Thread& debugger, std::uint64_t addr,
                               base::MutableByteSpan out) {
  if (out.empty()) return {};
  if (!target.vmspace || target.is_zombie()) return RwmemResult{0, vfs::Errno::Efault};
  vm::Caller caller = vm_caller(debugger.proc());
  return kern_result(vm::proc_rwmem_read(*target.vmspace, addr, out, caller));
}

RwmemResult Kernel::proc_rwmem(Proc& target, Thread& debugger, std::uint64_t addr, base::ByteSpan in) {
  if (in.empty()) return {};
  if (!target.vmspace || target.is_zombie()) return RwmemResult{0, vfs::Errno::Efault};
  vm::Caller caller = vm_caller(debugger.proc());
  return kern_result(vm::proc_rwmem_write(*target.vmspace, addr, in, caller));
}

}  // namespace procsim::kern
