// A small paged GuestMemory for interpreter tests: pages with read/write/execute permission,
// a code generation that changes on writes to executable pages and on mapping changes, and a
// count of fetch calls so tests can see the decode cache at work.
#pragma once

#include <array>
#include <cstdint>
#include <map>

#include "model/machine/asm/assembler.h"
#include "model/machine/guest_memory.h"
#include "sim/base/bytes.h"

namespace procsim::machine::testing {

struct Protection {
  bool read = true;
  bool write = true;
  bool execute = false;
};

class TestMemory final : public GuestMemory {
 public:
  static constexpr std::uint64_t kPage = 4096;

  void map(std::uint64_t address, std::uint64_t size, Protection protection) {
    for (std::uint64_t page = address & ~(kPage - 1); page < address + size; page += kPage) {
      m_pages[page].protection = protection;
    }
    ++m_generation;
  }
  void protect(std::uint64_t address, Protection protection) {
    m_pages.at(address & ~(kPage - 1)).protection = protection;
    ++m_generation;
  }
  // Writes regardless of protection, as the kernel (exec, a debugger) would.
  void poke(std::uint64_t address, base::ByteSpan bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) byte(address + i) = bytes[i];
    ++m_generation;
  }
  base::Bytes peek(std::uint64_t address, std::size_t size) {
    base::Bytes out(size);
    for (std::size_t i = 0; i < size; ++i) out[i] = byte(address + i);
    return out;
  }
  std::uint64_t peek_le(std::uint64_t address, std::size_t size) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i) value |= std::uint64_t{byte(address + i)} << (8 * i);
    return value;
  }
  // Maps an assembled image: text read/execute, data read/write.
  void load(const Image& image) {
    map(image.text.address, image.text.bytes.size() + 1, {true, false, true});
    poke(image.text.address, image.text.bytes);
    if (!image.data.bytes.empty()) {
      map(image.data.address, image.data.bytes.size(), {true, true, false});
      poke(image.data.address, image.data.bytes);
    }
  }

  MemFault read(std::uint64_t address, std::span<std::uint8_t> out) override {
    return access(
        address, out.size(), [](const Protection& p) { return p.read; },
        [&](std::size_t i, std::uint8_t& b) { out[i] = b; });
  }
  MemFault write(std::uint64_t address, std::span<const std::uint8_t> in) override {
    bool code = false;
    MemFault fault = access(
        address, in.size(),
        [&](const Protection& p) {
          code = code || p.execute;
          return p.write;
        },
        [&](std::size_t i, std::uint8_t& b) { b = in[i]; });
    if (fault == MemFault::None && code) ++m_generation;
    return fault;
  }
  MemFault fetch(std::uint64_t address, std::span<std::uint8_t> out) override {
    ++fetch_calls;
    return access(
        address, out.size(), [](const Protection& p) { return p.execute; },
        [&](std::size_t i, std::uint8_t& b) { out[i] = b; });
  }
  std::uint64_t code_generation() const override { return m_generation; }

  int fetch_calls = 0;

 private:
  struct Page {
    Protection protection;
    std::array<std::uint8_t, kPage> bytes{};
  };

  std::uint8_t& byte(std::uint64_t address) {
    return m_pages.at(address & ~(kPage - 1)).bytes[address % kPage];
  }

  template <typename Allowed, typename Move>
  MemFault access(std::uint64_t address, std::size_t size, Allowed allowed, Move move) {
    for (std::size_t i = 0; i < size; ++i) {
      auto found = m_pages.find((address + i) & ~(kPage - 1));
      if (found == m_pages.end()) return MemFault::Unmapped;
      if (!allowed(found->second.protection)) return MemFault::Protection;
    }
    for (std::size_t i = 0; i < size; ++i) move(i, byte(address + i));
    return MemFault::None;
  }

  std::map<std::uint64_t, Page> m_pages;
  std::uint64_t m_generation = 1;
};

}  // namespace procsim::machine::testing
