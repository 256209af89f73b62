#include "sim/base/result.h"

#include <string>

#include <doctest/doctest.h>

using procsim::base::fail;
using procsim::base::Result;

namespace {

enum class TestError { Bad, Worse };

Result<int, TestError> half(int value) {
  if (value % 2 != 0) return fail(TestError::Bad);
  return value / 2;
}

Result<int, TestError> quarter(int value) {
  int h = TRY(half(value));
  return TRY(half(h));
}

Result<void, TestError> check_positive(int value) {
  if (value <= 0) return fail(TestError::Worse);
  return {};
}

Result<int, TestError> positive_quarter(int value) {
  TRY(check_positive(value));
  return quarter(value);
}

}  // namespace

TEST_CASE("TRY propagates the first error and unwraps values") {
  CHECK(quarter(8).value() == 2);
  CHECK(quarter(6).error() == TestError::Bad);
  CHECK(positive_quarter(-4).error() == TestError::Worse);
  CHECK(positive_quarter(4).value() == 1);
  CHECK(half(3).value_or(-1) == -1);
}
