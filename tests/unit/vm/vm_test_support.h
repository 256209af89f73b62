// Shared set-up for the VM unit tests: one simulated machine's swap books, object store and
// console, callers for a few users, and helpers to read and write a map's memory.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/vm/fault.h"
#include "model/vm/swap_account.h"
#include "model/vm/vm_map.h"
#include "model/vm/vm_object.h"

namespace procsim::vm::test {

constexpr VmOffset kUserMin = 0x1000;
constexpr VmOffset kUserMax = 0x800000000000ULL;

// A user process's credentials as the VM sees them.
inline Caller user(std::uint32_t ruid, std::int32_t pid) {
  Caller caller;
  caller.ruid = Uid(ruid);
  caller.pid = pid;
  return caller;
}

inline Caller root(std::int32_t pid) {
  Caller caller = user(0, pid);
  caller.priv_vm_swap_noquota = true;
  caller.priv_vm_swap_norlimit = true;
  return caller;
}

struct VmWorld {
  explicit VmWorld(SwapConfig config = {})
      : swap(config, [this](std::string_view text) { console.emplace_back(text); }),
        objects(swap) {}

  std::unique_ptr<VmMap> new_map() {
    return std::make_unique<VmMap>(objects, kUserMin, kUserMax);
  }

  ObjectId file(std::string path, std::string contents) {
    base::Bytes bytes(contents.begin(), contents.end());
    return objects.allocate_vnode_object(
        std::make_shared<BytesVnode>(std::move(path), std::move(bytes)));
  }

  std::int64_t charged(std::uint32_t uid) const { return swap.uid_reserved_bytes(Uid(uid)); }

  std::vector<std::string> console;
  SwapAccount swap;
  VmObjectStore objects;
};

inline std::string read_string(VmMap& map, VmOffset addr, std::size_t length,
                               const Caller& caller) {
  std::string text(length, '\0');
  auto result = read_user(
      map, addr, base::MutableByteSpan(reinterpret_cast<std::uint8_t*>(text.data()), length),
      caller);
  PROCSIM_ASSERT(result.ok());
  return text;
}

inline bool write_string(VmMap& map, VmOffset addr, std::string_view text, const Caller& caller) {
  auto bytes = base::ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  return write_user(map, addr, bytes, caller).ok();
}

inline base::ByteSpan as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace procsim::vm::test
