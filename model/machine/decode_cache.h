// Decoded-code cache shared by the interpreters (internal to model/machine). Code is fetched a
// page at a time through GuestMemory::fetch and each instruction is decoded once; executing
// from a cached page costs no virtual call. The whole cache is dropped when the memory's
// code generation changes, which covers writes to code, breakpoints and mapping changes.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "model/machine/cpu.h"
#include "model/machine/guest_memory.h"
#include "sim/base/assert.h"
#include "sim/base/bytes.h"

namespace procsim::machine {

inline constexpr std::uint64_t kCodePageSize = 4096;
// Bytes of the following page kept with each page, so an x86 instruction that crosses the
// boundary (at most 15 bytes long) decodes from one buffer.
inline constexpr std::size_t kCodeTailBytes = 16;
// Pages kept before the cache starts over: a bound on memory, never on correctness.
inline constexpr std::size_t kCodePagesMax = 256;

template <typename Insn>
class DecodeCache {
 public:
  struct Page {
    std::uint64_t base = 0;
    std::array<std::uint8_t, kCodePageSize + kCodeTailBytes> bytes{};
    std::size_t available = 0;  // how many of `bytes` were fetched
    MemFault tail_fault = MemFault::None;
    std::array<std::uint16_t, kCodePageSize> slots{};  // 0: not decoded, else index + 1
    std::vector<Insn> insns;

    const Insn* find(std::uint64_t offset) const {
      std::uint16_t slot = slots[offset];
      return slot == 0 ? nullptr : &insns[slot - 1u];
    }
    const Insn& add(std::uint64_t offset, const Insn& insn) {
      PROCSIM_ASSERT(slots[offset] == 0);
      PROCSIM_ASSERT(insns.size() < kCodePageSize);
      insns.push_back(insn);
      slots[offset] = static_cast<std::uint16_t>(insns.size());
      return insns.back();
    }
  };

  // Drops everything if the memory's code changed since the last call; true if it did.
  bool sync(const GuestMemory& memory) {
    std::uint64_t generation = memory.code_generation();
    if (m_synced && generation == m_generation) return false;
    clear();
    m_generation = generation;
    m_synced = true;
    return true;
  }

  // The page the last page() call returned (nullptr after clear()).
  const Page* last_page() const { return m_last; }

  void clear() {
    m_pages.clear();
    m_last = nullptr;
    m_synced = false;
  }

  // The page holding `address`, fetching it on first use; nullptr and `fault` set when the
  // page cannot be fetched.
  Page* page(std::uint64_t address, GuestMemory& memory, MemFault& fault) {
    std::uint64_t base = address & ~(kCodePageSize - 1);
    if (m_last != nullptr && m_last->base == base) return m_last;
    auto found = m_pages.find(base);
    if (found != m_pages.end()) {
      m_last = found->second.get();
      return m_last;
    }
    auto page = std::make_unique<Page>();
    page->base = base;
    fault = memory.fetch(base, std::span(page->bytes.data(), kCodePageSize));
    if (fault != MemFault::None) return nullptr;
    page->available = kCodePageSize;
    std::uint64_t next = base + kCodePageSize;
    if (next != 0) {
      MemFault tail = memory.fetch(next, std::span(page->bytes.data() + kCodePageSize, kCodeTailBytes));
      if (tail == MemFault::None) page->available += kCodeTailBytes;
      page->tail_fault = tail;
    }
    if (m_pages.size() >= kCodePagesMax) {
      m_pages.clear();
      m_last = nullptr;
    }
    m_last = page.get();
    m_pages.emplace(base, std::move(page));
    PROCSIM_ASSERT(m_last->base == base);
    return m_last;
  }

 private:
  // Keyed lookups only; never iterated, so hash order cannot reach output.
  std::unordered_map<std::uint64_t, std::unique_ptr<Page>> m_pages;
  Page* m_last = nullptr;
  std::uint64_t m_generation = 0;
  bool m_synced = false;
};

// The fixed-width (4-byte, little-endian) instruction at `pc`, decoded once and then served from
// the cache: the fetch path the arm64 and riscv64 interpreters share. A misaligned pc or a fetch
// fault fills `stop` and gives nullptr.
template <typename Insn, typename Decode>
const Insn* fetch_fixed32(DecodeCache<Insn>& cache, std::uint64_t pc, GuestMemory& memory, StopInfo& stop,
                          Decode decode) {
  if ((pc & 3) != 0) {
    stop.reason = StopReason::MisalignedPc;
    stop.fault_address = pc;
    return nullptr;
  }
  MemFault fault = MemFault::None;
  auto* page = cache.page(pc, memory, fault);
  if (page == nullptr) {
    stop.reason = StopReason::MemoryFault;
    stop.fault = fault;
    stop.fault_address = pc;
    stop.access = FaultAccess::Execute;
    return nullptr;
  }
  std::uint64_t offset = pc - page->base;
  if (const Insn* cached = page->find(offset)) return cached;
  std::uint32_t word =
      base::load_le<std::uint32_t>(base::ByteSpan(page->bytes.data(), page->available), offset);
  return &page->add(offset, decode(word, pc));
}

}  // namespace procsim::machine
