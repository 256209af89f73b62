// StrongId<Tag, Rep>: a number with a meaning (a pid, a uid, a tick) that does not convert
// implicitly to or from other numbers, so a Pid cannot be passed where a Uid is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

#include <fmt/format.h>

namespace procsim::base {

template <typename Tag, typename Rep>
class StrongId {
 public:
  using RepType = Rep;

  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep value) : m_value(value) {}

  constexpr Rep value() const { return m_value; }

  constexpr auto operator<=>(const StrongId&) const = default;
  constexpr bool operator==(const StrongId&) const = default;

 private:
  Rep m_value{};
};

}  // namespace procsim::base

template <typename Tag, typename Rep>
struct fmt::formatter<procsim::base::StrongId<Tag, Rep>> : fmt::formatter<Rep> {
  template <typename FormatContext>
  auto format(const procsim::base::StrongId<Tag, Rep>& id, FormatContext& context) const {
    return fmt::formatter<Rep>::format(id.value(), context);
  }
};

template <typename Tag, typename Rep>
struct std::hash<procsim::base::StrongId<Tag, Rep>> {
  std::size_t operator()(const procsim::base::StrongId<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};
