// The simulation's only source of randomness: xoshiro256** (Blackman and Vigna) with its state
// filled from a 64-bit seed by splitmix64. Bounded draws are unbiased and use integer maths only,
// so a seed yields the same stream with every compiler and standard library. Not cryptographic.
#pragma once

#include <array>
#include <cstdint>

namespace procsim::sim {

// Advances a splitmix64 state and returns its next output. Exposed so tests can check the seeding
// against published values.
std::uint64_t splitmix64_next(std::uint64_t& state);

// A probability as an integer fraction: numerator / denominator, numerator <= denominator.
struct Ratio {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 1;
};

class Prng {
 public:
  using State = std::array<std::uint64_t, 4>;

  explicit Prng(std::uint64_t seed);
  // A generator started from an explicit xoshiro256** state (not all zero), so tests can compare
  // the core against the generator's published reference outputs. seed() is then 0.
  static Prng from_state(const State& state);

  std::uint64_t seed() const { return m_seed; }

  // The next raw 64-bit output of xoshiro256**.
  std::uint64_t next_u64();

  // Uniform in [0, bound); bound must be nonzero. Unbiased by rejection: outputs below
  // (2^64 - bound) mod bound are discarded, so the accepted range holds an exact multiple of
  // bound values and `x mod bound` is uniform. Draws at least one output, rarely more.
  std::uint64_t below(std::uint64_t bound);

  // Uniform in [low, high] inclusive; low <= high. The full 64-bit range is one raw draw.
  std::uint64_t between(std::uint64_t low, std::uint64_t high);

  // True with probability ratio.numerator / ratio.denominator. Always draws exactly as
  // below(denominator) does, including for 0/d and d/d, so the stream does not depend on the ratio.
  bool chance(Ratio ratio);

 private:
  std::uint64_t m_seed;
  State m_state{};
};

}  // namespace procsim::sim
