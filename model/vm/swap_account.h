// The 2009 swap accounting (spec/kernel.md §5.3): the global vm.swap_reserved against
// vm.swap_total, the per-uid reservation (uidinfo.ui_vmsize), the vm.overcommit policy bits and
// the rate-limited console message on refusal. Where charges are made and moved lives with the
// map and object code; this class only keeps the books. No swap I/O is modelled.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string_view>

#include "model/vm/vm_types.h"

namespace procsim::vm {

// vm.overcommit bits (8.3 swap_pager.c).
constexpr std::uint32_t SWAP_RESERVE_FORCE_ON = 0x1;
constexpr std::uint32_t SWAP_RESERVE_RLIMIT_ON = 0x2;
constexpr std::uint32_t SWAP_RESERVE_ALLOW_NONWIRED = 0x4;

struct SwapConfig {
  std::uint64_t swap_total_bytes = 0;  // vm.swap_total
  std::uint32_t overcommit = 0;        // vm.overcommit; FreeBSD's default is 0
  // v_page_count - v_free_reserved - v_wire_count: the RAM that ALLOW_NONWIRED lets count as
  // reservable. A fixed number here because procsim does not model physical memory pressure.
  std::uint64_t nonwired_reservable_pages = 0;
  std::uint64_t ticks_per_second = 100;  // hz, for the once-a-second message rate limit
};

// Receives console text (each message ends in "\n"); the kernel's message buffer plugs in here.
using MessageSink = std::function<void(std::string_view)>;

class SwapAccount {
 public:
  SwapAccount(SwapConfig config, MessageSink sink);

  // swap_reserve(): charges caller.ruid. Returns false, with nothing charged, when refused.
  bool reserve(std::uint64_t bytes, const Caller& caller);
  // swap_reserve_by_uid(): charges `uid`, but the limit and privileges checked are the caller's
  // (FreeBSD reads curproc's RLIMIT_SWAP and curthread's privileges whatever uid is charged).
  bool reserve_by_uid(std::uint64_t bytes, Uid uid, const Caller& caller);
  // swap_reserve_force(): charges caller.ruid unconditionally.
  void reserve_force(std::uint64_t bytes, const Caller& caller);
  // swap_release_by_uid().
  void release_by_uid(std::uint64_t bytes, Uid uid);

  std::uint64_t reserved_bytes() const { return m_reserved_bytes; }
  // ui_vmsize; signed because FreeBSD lets it go negative (with a console complaint).
  std::int64_t uid_reserved_bytes(Uid uid) const;
  // Every uid that ever held a reservation, in uid order.
  const std::map<Uid, std::int64_t>& per_uid_bytes() const { return m_per_uid_bytes; }

  const SwapConfig& config() const { return m_config; }
  void set_overcommit(std::uint32_t overcommit) { m_config.overcommit = overcommit; }
  void set_swap_total_bytes(std::uint64_t bytes) { m_config.swap_total_bytes = bytes; }

 private:
  bool global_limit_allows(std::uint64_t new_total, const Caller& caller) const;
  bool uid_limit_allows(std::int64_t current, std::uint64_t bytes, const Caller& caller) const;
  void report_refusal(std::uint64_t bytes, Uid uid, const Caller& caller);
  bool message_rate_allows(std::uint64_t now_ticks);

  SwapConfig m_config;
  MessageSink m_sink;
  std::uint64_t m_reserved_bytes = 0;
  std::map<Uid, std::int64_t> m_per_uid_bytes;
  // ppsratecheck() state: start of the current one-second window and messages in it.
  std::optional<std::uint64_t> m_window_start_ticks;
  std::uint32_t m_messages_in_window = 0;
};

}  // namespace procsim::vm
