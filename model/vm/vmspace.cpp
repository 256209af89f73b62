// Exec-time address space construction after 8.3 kern_exec.c and imgact_elf.c. The argument
// block, from USRSTACK down (every address below is computed, then written through the new map
// as the process's own stores, so the stack pages fault in and are charged normally):
//   ps_strings (4 pointer-sized words: argv, argc, envv, envc)
//   signal trampoline (sigcode_bytes)
//   execpath (only with an auxiliary vector), then SPARE_USRSPACE and rounding slack
//   argument and environment strings, NUL-terminated, back to back
//   argv pointers, NULL, envp pointers, NULL, auxiliary vector (auxv_slots words reserved)
//   argc (one pointer-sized word) <- the initial stack pointer
#include "model/vm/vmspace.h"

#include <array>

#include "model/vm/fault.h"

namespace procsim::vm {

namespace {

std::uint64_t round_up(std::uint64_t value, std::uint64_t unit) {
  return (value + unit - 1) / unit * unit;
}

// A pointer-sized (or 32-bit) little-endian store into the new image.
base::Result<void, VmErrno> store_word(VmMap& map, VmOffset addr, std::uint64_t value,
                                       std::uint32_t bytes, const Caller& caller) {
  PROCSIM_ASSERT(bytes == 4 || bytes == 8);
  std::array<std::uint8_t, 8> buffer{};
  if (bytes == 8)
    base::store_le<std::uint64_t>(buffer, 0, value);
  else
    base::store_le<std::uint32_t>(buffer, 0, static_cast<std::uint32_t>(value));
  if (write_user(map, addr, base::ByteSpan(buffer.data(), bytes), caller).is_error())
    return base::fail(VmErrno::Efault);
  return {};
}

base::Result<void, VmErrno> store_bytes(VmMap& map, VmOffset addr, base::ByteSpan bytes,
                                        const Caller& caller) {
  if (write_user(map, addr, bytes, caller).is_error()) return base::fail(VmErrno::Efault);
  return {};
}

base::ByteSpan with_nul(const std::string& text) {
  // The terminating NUL is part of what exec copies.
  return {reinterpret_cast<const std::uint8_t*>(text.c_str()), text.size() + 1};
}

}  // namespace

std::unique_ptr<VmMap> new_exec_vmspace(VmObjectStore& objects, const AddressSpaceParams& params,
                                        const Caller& caller) {
  PROCSIM_ASSERT(params.pointer_bytes == 4 || params.pointer_bytes == 8);
  PROCSIM_ASSERT(params.usrstack <= params.max_user_address);
  auto map = std::make_unique<VmMap>(objects, params.min_user_address, params.max_user_address,
                                     params.pmap);
  VmspaceSizes& sizes = map->vmspace();
  sizes.stack_grow_bytes = params.stack_grow_bytes;
  VmOffset stack_addr = params.usrstack - params.max_stack_bytes;
  KernReturn result = map->stack(stack_addr, params.max_stack_bytes, VM_PROT_ALL, VM_PROT_ALL,
                                 MAP_STACK_GROWS_DOWN, caller);
  if (result != KernReturn::KERN_SUCCESS) return nullptr;
  sizes.ssize_pages = atop(params.stack_grow_bytes);
  sizes.maxsaddr = stack_addr;
  return map;
}

base::Result<void, VmErrno> load_segment(VmMap& map, ObjectId vnode_object,
                                         const ImageSegment& segment, const Caller& caller) {
  VmObjectStore& objects = map.objects();
  const VmObject& file = objects.get(vnode_object);
  PROCSIM_ASSERT(file.type == ObjectType::OBJT_VNODE);
  std::uint64_t file_end = segment.file_offset + segment.file_bytes;
  if (file_end > file.vnode->size_bytes() || segment.file_bytes > segment.mem_bytes)
    return base::fail(VmErrno::Enoexec);  // "elf_load_section: truncated ELF file"
  VmOffset map_addr = trunc_page(segment.vaddr);
  std::uint64_t file_addr = trunc_page(segment.file_offset);
  std::uint64_t map_len = segment.mem_bytes > segment.file_bytes
                              ? trunc_page(file_end) - file_addr
                              : round_page(file_end) - file_addr;
  if (map_len != 0) {
    objects.reference(vnode_object);
    CowFlags cow = MAP_COPY_ON_WRITE | MAP_PREFAULT |
                   ((segment.prot & VM_PROT_WRITE) != 0 ? 0 : MAP_DISABLE_COREDUMP);
    KernReturn result = map.insert(vnode_object, file_addr, map_addr, map_addr + map_len,
                                   segment.prot, VM_PROT_ALL, cow, caller);
    if (result != KernReturn::KERN_SUCCESS) {
      objects.deallocate(vnode_object);
      return base::fail(VmErrno::Einval);
    }
    if (segment.mem_bytes == segment.file_bytes) return {};
  }
  // The file's last partial page is copied into the start of the anonymous bss mapping.
  std::uint64_t copy_len = file_end - trunc_page(file_end);
  map_addr = trunc_page(segment.vaddr + segment.file_bytes);
  map_len = round_page(segment.vaddr + segment.mem_bytes) - map_addr;
  if (map_len != 0) {
    KernReturn result = map.insert(std::nullopt, 0, map_addr, map_addr + map_len, VM_PROT_ALL,
                                   VM_PROT_ALL, 0, caller);
    if (result != KernReturn::KERN_SUCCESS) return base::fail(VmErrno::Einval);
  }
  if (copy_len != 0) {
    std::uint64_t pindex = atop(trunc_page(file_end));
    Page* page = objects.lookup_page(vnode_object, pindex);  // vm_imgact_map_page()
    if (page == nullptr) page = &objects.allocate_page(vnode_object, pindex);
    TRY(store_bytes(map, map_addr, base::ByteSpan(page->bytes.data(), copy_len), caller));
  }
  map.protect(trunc_page(segment.vaddr), round_page(segment.vaddr + segment.mem_bytes),
              segment.prot, false, caller);
  return {};
}

base::Result<void, VmErrno> load_image(VmMap& map, ObjectId vnode_object,
                                       std::span<const ImageSegment> segments,
                                       const Caller& caller) {
  std::uint64_t text_size = 0;
  std::uint64_t data_size = 0;
  VmOffset text_addr = 0;
  VmOffset data_addr = 0;
  for (const ImageSegment& segment : segments) {
    if (segment.mem_bytes == 0) continue;
    TRY(load_segment(map, vnode_object, segment, caller));
    VmOffset seg_addr = trunc_page(segment.vaddr);
    std::uint64_t seg_size = round_page(segment.mem_bytes + segment.vaddr - seg_addr);
    if ((segment.prot & VM_PROT_EXECUTE) != 0 && text_size < seg_size) {
      text_size = seg_size;
      text_addr = seg_addr;
    } else {
      data_size = seg_size;
      data_addr = seg_addr;
    }
  }
  VmspaceSizes& sizes = map.vmspace();
  sizes.tsize_pages = atop(text_size);
  sizes.taddr = text_addr;
  sizes.dsize_pages = atop(data_size);
  sizes.daddr = data_addr;
  return {};
}

namespace {

// Where exec_copyout_strings() puts everything; nothing is written yet.
InitialStack plan_argument_block(const AddressSpaceParams& params, const ExecStrings& strings) {
  const std::uint32_t ptr = params.pointer_bytes;
  InitialStack layout;
  layout.ps_strings = params.usrstack - 4 * ptr;
  layout.sigcode = layout.ps_strings - params.sigcode_bytes;
  bool with_auxv = strings.auxv.has_value();
  std::uint64_t execpath_len =
      strings.execpath.has_value() && with_auxv ? strings.execpath->size() + 1 : 0;
  if (execpath_len != 0) layout.execpath = layout.sigcode - execpath_len;
  std::uint64_t string_bytes = 0;
  for (const std::string& arg : strings.argv) string_bytes += arg.size() + 1;
  for (const std::string& env : strings.envv) string_bytes += env.size() + 1;
  layout.strings = layout.sigcode - params.spare_usrspace - round_up(execpath_len, ptr) -
                   round_up(string_bytes, ptr);
  std::uint64_t argc = strings.argv.size();
  std::uint64_t envc = strings.envv.size();
  std::uint64_t slots = argc + envc + 2 + (with_auxv ? params.auxv_slots : 0);
  layout.argv = layout.strings - slots * ptr;
  layout.envp = layout.argv + (argc + 1) * ptr;
  layout.auxv = layout.envp + (envc + 1) * ptr;
  layout.stack_pointer = layout.argv - ptr;
  PROCSIM_ASSERT(layout.stack_pointer < layout.strings && layout.strings < layout.sigcode);
  return layout;
}

// The trampoline, execpath and strings; returns where each string went, argv first.
base::Result<std::vector<VmOffset>, VmErrno> write_strings(VmMap& map,
                                                           const AddressSpaceParams& params,
                                                           const ExecStrings& strings,
                                                           const InitialStack& layout,
                                                           const Caller& caller) {
  base::Bytes sigcode = strings.sigcode;
  PROCSIM_ASSERT(sigcode.size() <= params.sigcode_bytes);
  sigcode.resize(params.sigcode_bytes, 0);
  if (!sigcode.empty()) TRY(store_bytes(map, layout.sigcode, sigcode, caller));
  if (layout.execpath != 0)
    TRY(store_bytes(map, layout.execpath, with_nul(*strings.execpath), caller));
  VmOffset cursor = layout.strings;
  std::vector<VmOffset> pointers;
  for (const auto* list : {&strings.argv, &strings.envv}) {
    for (const std::string& text : *list) {
      TRY(store_bytes(map, cursor, with_nul(text), caller));
      pointers.push_back(cursor);
      cursor += text.size() + 1;
    }
  }
  return pointers;
}

// ps_strings, the argv and envp vectors, the auxiliary vector and argc.
base::Result<void, VmErrno> write_vectors(VmMap& map, const AddressSpaceParams& params,
                                          const ExecStrings& strings, const InitialStack& layout,
                                          const std::vector<VmOffset>& pointers,
                                          const Caller& caller) {
  const std::uint32_t ptr = params.pointer_bytes;
  std::uint64_t argc = strings.argv.size();
  std::uint64_t envc = strings.envv.size();
  TRY(store_word(map, layout.ps_strings, layout.argv, ptr, caller));
  TRY(store_word(map, layout.ps_strings + ptr, argc, 4, caller));
  TRY(store_word(map, layout.ps_strings + 2 * ptr, layout.envp, ptr, caller));
  TRY(store_word(map, layout.ps_strings + 3 * ptr, envc, 4, caller));
  for (std::size_t i = 0; i < pointers.size(); ++i) {
    VmOffset slot = i < argc ? layout.argv + i * ptr : layout.envp + (i - argc) * ptr;
    TRY(store_word(map, slot, pointers[i], ptr, caller));
  }
  TRY(store_word(map, layout.argv + argc * ptr, 0, ptr, caller));
  TRY(store_word(map, layout.envp + envc * ptr, 0, ptr, caller));
  if (strings.auxv.has_value()) {
    PROCSIM_ASSERT((strings.auxv->size() + 1) * 2 <= params.auxv_slots);
    VmOffset pos = layout.auxv;
    for (const AuxEntry& entry : *strings.auxv) {
      TRY(store_word(map, pos, entry.type, ptr, caller));
      TRY(store_word(map, pos + ptr, entry.value, ptr, caller));
      pos += 2 * ptr;
    }
    TRY(store_word(map, pos, 0, ptr, caller));  // AT_NULL
    TRY(store_word(map, pos + ptr, 0, ptr, caller));
  }
  return store_word(map, layout.stack_pointer, argc, ptr, caller);
}

}  // namespace

base::Result<InitialStack, VmErrno> copyout_exec_strings(VmMap& map,
                                                         const AddressSpaceParams& params,
                                                         const ExecStrings& strings,
                                                         const Caller& caller) {
  InitialStack layout = plan_argument_block(params, strings);
  std::vector<VmOffset> pointers = TRY(write_strings(map, params, strings, layout, caller));
  TRY(write_vectors(map, params, strings, layout, pointers, caller));
  return layout;
}

}  // namespace procsim::vm
