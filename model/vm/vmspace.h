// Building a new process image the way 8.3 exec does: the stack region below USRSTACK
// (exec_new_vmspace), program segments mapped copy-on-write from the file with anonymous bss
// (the ELF loader's load_section), and the argument block: signal trampoline, ps_strings,
// strings, argv/envp vectors, auxiliary vector and argc (exec_copyout_strings + fixup).
// Architecture facts are parameters. ELF parsing, interpreters and the shared page are not here.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/vm/vm_map.h"
#include "sim/base/bytes.h"
#include "sim/base/result.h"

namespace procsim::vm {

// Facts from <machine/vmparam.h>, sys/exec.h and the ABI's sysentvec.
struct AddressSpaceParams {
  VmOffset min_user_address = 0;        // VM_MIN_ADDRESS / sv_minuser
  VmOffset max_user_address = 0;        // VM_MAXUSER_ADDRESS / sv_maxuser
  VmOffset usrstack = 0;                // USRSTACK / sv_usrstack
  std::uint64_t max_stack_bytes = 0;    // maxssiz (MAXSSIZ)
  std::uint64_t stack_grow_bytes = 0;   // sgrowsiz (SGROWSIZ)
  std::uint32_t pointer_bytes = 8;      // 8 for an LP64 process, 4 for ILP32
  std::uint64_t sigcode_bytes = 0;      // *sv_szsigcode
  std::uint64_t spare_usrspace = 4096;  // SPARE_USRSPACE
  std::uint32_t auxv_slots = 32;        // AT_COUNT * 2 words reserved for ELF auxargs
  PmapTraits pmap;
};

// amd64, native 64-bit process (8.3 amd64/include/vmparam.h). The signal trampoline size is
// derived from the 8.3 amd64 sigcode (22 bytes of code, aligned to 16): DERIVED.
constexpr AddressSpaceParams kAmd64Params{
    0, 0x800000000000ULL, 0x800000000000ULL, 512ULL << 20, 128ULL << 10, 8, 32, 4096, 32, {}};
// i386, native 32-bit process (8.3 i386/include/vmparam.h; PAE off: 4 MiB page-table span).
// FIXME: the i386 trampoline size (sigcode + freebsd4_sigcode + osigcode) is not confirmed.
constexpr AddressSpaceParams kI386Params{
    0, 0xbfc00000ULL, 0xbfc00000ULL, 64ULL << 20, 128ULL << 10, 4, 0, 4096, 32, {true, 4ULL << 20}};

// arm64 and riscv64 have no 8.3 port; their facts come from the first releases that had one
// (vmparam.h: 48-bit and Sv39 user spaces, MAXSSIZ 1 GiB, USRSTACK one shared page below the
// top of user space). Neither has a signal trampoline on the stack: it lives in the shared
// page, which procsim does not map.
constexpr AddressSpaceParams kArm64Params{
    0, 0x1000000000000ULL, 0xfffffffff000ULL, 1ULL << 30, 128ULL << 10, 8, 0, 4096, 32, {false, 2ULL << 20}};
constexpr AddressSpaceParams kRiscv64Params{
    0, 0x4000000000ULL, 0x3ffffff000ULL, 1ULL << 30, 128ULL << 10, 8, 0, 4096, 32, {false, 2ULL << 20}};

// One loadable segment (an ELF PT_LOAD): file bytes [file_offset, file_offset + file_bytes)
// appear at vaddr; memory beyond file_bytes up to mem_bytes is zero (bss).
struct ImageSegment {
  VmOffset vaddr = 0;
  std::uint64_t file_offset = 0;
  std::uint64_t file_bytes = 0;
  std::uint64_t mem_bytes = 0;
  Prot prot = VM_PROT_NONE;
};

struct AuxEntry {
  std::uint64_t type = 0;
  std::uint64_t value = 0;
};

// What exec copies out onto the new stack.
struct ExecStrings {
  std::vector<std::string> argv;
  std::vector<std::string> envv;
  std::optional<std::string> execpath;        // for the runtime linker; needs `auxv`
  std::optional<std::vector<AuxEntry>> auxv;  // ELF auxargs, AT_NULL appended; none: a.out style
  base::Bytes sigcode;                        // trampoline bytes, zero-padded to sigcode_bytes
};

// Where everything landed. `stack_pointer` points at argc; the CPU layer applies its own ABI
// alignment when it sets the register (amd64 exec_setregs aligns to 16 bytes plus 8).
struct InitialStack {
  VmOffset stack_pointer = 0;
  VmOffset argv = 0;
  VmOffset envp = 0;
  VmOffset auxv = 0;
  VmOffset strings = 0;
  VmOffset execpath = 0;  // 0 when not copied
  VmOffset sigcode = 0;
  VmOffset ps_strings = 0;
};

// A fresh map for a new image (vmspace_alloc + exec_new_vmspace's stack), sizes set up.
std::unique_ptr<VmMap> new_exec_vmspace(VmObjectStore& objects, const AddressSpaceParams& params,
                                        const Caller& caller);
// load_section(): maps one segment of the file behind `vnode_object`. ENOEXEC when the file is
// shorter than the segment says; EINVAL when it cannot be mapped.
base::Result<void, VmErrno> load_segment(VmMap& map, ObjectId vnode_object, const ImageSegment& segment,
                                         const Caller& caller);
// Every segment in order, then vm_taddr/vm_tsize (largest executable segment) and
// vm_daddr/vm_dsize (the last other one), as the ELF image activator records them.
base::Result<void, VmErrno> load_image(VmMap& map, ObjectId vnode_object,
                                       std::span<const ImageSegment> segments, const Caller& caller);
// exec_copyout_strings() and the ABI fixup: the argument block at the top of the stack.
base::Result<InitialStack, VmErrno> copyout_exec_strings(VmMap& map, const AddressSpaceParams& params,
                                                         const ExecStrings& strings, const Caller& caller);

}  // namespace procsim::vm
