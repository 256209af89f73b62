// The swap-reservation books (spec/kernel.md §5.3): global and per-uid reservations, the
// vm.overcommit checks, and the rate-limited refusal message. Every amount is page aligned;
// an unaligned amount is a bug in the caller, as it is a panic in FreeBSD.
#include "model/vm/swap_account.h"

#include <utility>

#include <fmt/format.h>

namespace procsim::vm {

SwapAccount::SwapAccount(SwapConfig config, MessageSink sink)
    : m_config(config), m_sink(std::move(sink)) {
  PROCSIM_ASSERT(m_sink != nullptr);
  PROCSIM_ASSERT(m_config.ticks_per_second > 0);
}

bool SwapAccount::reserve(std::uint64_t bytes, const Caller& caller) {
  return reserve_by_uid(bytes, caller.ruid, caller);
}

// Step 2 of swap_reserve_by_uid(): the global limit binds only with FORCE_ON, and root
// (PRIV_VM_SWAP_NOQUOTA) passes anyway.
bool SwapAccount::global_limit_allows(std::uint64_t new_total, const Caller& caller) const {
  if ((m_config.overcommit & SWAP_RESERVE_FORCE_ON) == 0) return true;
  std::uint64_t limit = m_config.swap_total_bytes;
  if ((m_config.overcommit & SWAP_RESERVE_ALLOW_NONWIRED) != 0)
    limit += ptoa(m_config.nonwired_reservable_pages);
  return new_total <= limit || caller.priv_vm_swap_noquota;
}

// Step 3: the per-uid total against the caller's RLIMIT_SWAP, only with RLIMIT_ON.
bool SwapAccount::uid_limit_allows(std::int64_t current, std::uint64_t bytes,
                                   const Caller& caller) const {
  if ((m_config.overcommit & SWAP_RESERVE_RLIMIT_ON) == 0) return true;
  if (caller.priv_vm_swap_norlimit) return true;
  // ui_vmsize + incr > lim_cur(RLIMIT_SWAP), compared as signed 64-bit quantities.
  auto wanted = current + static_cast<std::int64_t>(bytes);
  return wanted <= static_cast<std::int64_t>(caller.rlimit_swap_cur);
}

bool SwapAccount::reserve_by_uid(std::uint64_t bytes, Uid uid, const Caller& caller) {
  PROCSIM_ASSERT_MSG(page_aligned(bytes), "swap_reserve: & PAGE_MASK");
  std::uint64_t before = m_reserved_bytes;
  std::uint64_t new_total = m_reserved_bytes + bytes;
  bool granted = global_limit_allows(new_total, caller);
  if (granted) {
    m_reserved_bytes = new_total;
    std::int64_t& uid_bytes = m_per_uid_bytes[uid];
    if (uid_limit_allows(uid_bytes, bytes, caller)) {
      uid_bytes += static_cast<std::int64_t>(bytes);
    } else {
      granted = false;
      m_reserved_bytes -= bytes;  // the refusal rolls back the global add
    }
  }
  if (!granted) report_refusal(bytes, uid, caller);
  PROCSIM_ASSERT(granted ? m_reserved_bytes == before + bytes : m_reserved_bytes == before);
  return granted;
}

void SwapAccount::reserve_force(std::uint64_t bytes, const Caller& caller) {
  PROCSIM_ASSERT(page_aligned(bytes));
  m_reserved_bytes += bytes;
  m_per_uid_bytes[caller.ruid] += static_cast<std::int64_t>(bytes);
}

void SwapAccount::release_by_uid(std::uint64_t bytes, Uid uid) {
  PROCSIM_ASSERT_MSG(page_aligned(bytes), "swap_release: & PAGE_MASK");
  PROCSIM_ASSERT_MSG(m_reserved_bytes >= bytes, "swap_reserved < decr");
  m_reserved_bytes -= bytes;
  std::int64_t& uid_bytes = m_per_uid_bytes[uid];
  if (uid_bytes < static_cast<std::int64_t>(bytes))
    m_sink(fmt::format("negative vmsize for uid = {}\n", static_cast<std::int32_t>(uid.value())));
  uid_bytes -= static_cast<std::int64_t>(bytes);
}

std::int64_t SwapAccount::uid_reserved_bytes(Uid uid) const {
  auto found = m_per_uid_bytes.find(uid);
  return found == m_per_uid_bytes.end() ? 0 : found->second;
}

// 8.3 passes curproc's pid for the "uid" conversion and the uid for "pid" (the arguments are in
// the opposite order to the labels); the message reproduces that.
void SwapAccount::report_refusal(std::uint64_t bytes, Uid uid, const Caller& caller) {
  if (!message_rate_allows(caller.now_ticks)) return;
  m_sink(fmt::format("uid {}, pid {}: swap reservation for {} bytes failed\n", caller.pid,
                     static_cast<std::int32_t>(uid.value()), static_cast<std::int64_t>(bytes)));
}

// ppsratecheck(&lastfail, &curfail, 1): a window opens at the first message and lasts one
// second; at most one message per window.
bool SwapAccount::message_rate_allows(std::uint64_t now_ticks) {
  PROCSIM_ASSERT(!m_window_start_ticks.has_value() || now_ticks >= *m_window_start_ticks);
  bool window_over = !m_window_start_ticks.has_value() ||
                     now_ticks - *m_window_start_ticks >= m_config.ticks_per_second;
  if (window_over) {
    m_window_start_ticks = now_ticks;
    m_messages_in_window = 0;
  }
  bool allowed = m_messages_in_window < 1;
  ++m_messages_in_window;
  return allowed;
}

}  // namespace procsim::vm
