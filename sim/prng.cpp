// xoshiro256** seeded through splitmix64, and unbiased bounded draws built on it. The constants
// are the published parameters of both generators.
#include "sim/prng.h"

#include <limits>

#include "sim/base/assert.h"

namespace procsim::sim {

namespace {

constexpr std::uint64_t rotate_left(std::uint64_t value, int shift) {
  return (value << shift) | (value >> (64 - shift));
}

}  // namespace

std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15;
  std::uint64_t mixed = state;
  mixed = (mixed ^ (mixed >> 30)) * 0xbf58476d1ce4e5b9;
  mixed = (mixed ^ (mixed >> 27)) * 0x94d049bb133111eb;
  return mixed ^ (mixed >> 31);
}

Prng::Prng(std::uint64_t seed) : m_seed(seed) {
  std::uint64_t splitmix_state = seed;
  for (auto& word : m_state) word = splitmix64_next(splitmix_state);
  // xoshiro must never start from the all-zero state; splitmix64 cannot produce four zero words
  // in a row, but the invariant is cheap to check.
  PROCSIM_ASSERT((m_state[0] | m_state[1] | m_state[2] | m_state[3]) != 0);
}

Prng Prng::from_state(const State& state) {
  PROCSIM_ASSERT_MSG((state[0] | state[1] | state[2] | state[3]) != 0, "xoshiro state must not be all zero");
  Prng prng(0);
  prng.m_state = state;
  return prng;
}

std::uint64_t Prng::next_u64() {
  std::uint64_t result = rotate_left(m_state[1] * 5, 7) * 9;
  std::uint64_t shifted = m_state[1] << 17;
  m_state[2] ^= m_state[0];
  m_state[3] ^= m_state[1];
  m_state[1] ^= m_state[2];
  m_state[0] ^= m_state[3];
  m_state[2] ^= shifted;
  m_state[3] = rotate_left(m_state[3], 45);
  return result;
}

std::uint64_t Prng::below(std::uint64_t bound) {
  PROCSIM_ASSERT_MSG(bound != 0, "Prng::below needs a nonzero bound");
  // (2^64 - bound) mod bound, computed in 64 bits as (-bound) mod bound.
  std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    std::uint64_t draw = next_u64();
    if (draw >= threshold) {
      std::uint64_t result = draw % bound;
      PROCSIM_ASSERT(result < bound);
      return result;
    }
  }
}

std::uint64_t Prng::between(std::uint64_t low, std::uint64_t high) {
  PROCSIM_ASSERT(low <= high);
  if (low == 0 && high == std::numeric_limits<std::uint64_t>::max()) return next_u64();
  std::uint64_t result = low + below(high - low + 1);
  PROCSIM_ASSERT(result >= low);
  PROCSIM_ASSERT(result <= high);
  return result;
}

bool Prng::chance(Ratio ratio) {
  PROCSIM_ASSERT(ratio.denominator != 0);
  PROCSIM_ASSERT(ratio.numerator <= ratio.denominator);
  return below(ratio.denominator) < ratio.numerator;
}

}  // namespace procsim::sim
