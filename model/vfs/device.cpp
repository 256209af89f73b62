// The cdevsw defaults (FreeBSD's nullop, no_read, no_write, no_ioctl), the null and zero
// drivers, and the device-number switch.
#include "model/vfs/device.h"

#include <algorithm>
#include <array>

#include "sim/base/assert.h"

namespace procsim::vfs {

KResult<void> CharDevice::open(std::uint32_t, std::uint32_t, const VfsContext&) { return {}; }
KResult<void> CharDevice::close(std::uint32_t, std::uint32_t, const VfsContext&) { return {}; }
KResult<void> CharDevice::read(std::uint32_t, Uio&, IoFlags, const VfsContext&) {
  return base::fail(Errno::Enodev);
}
KResult<void> CharDevice::write(std::uint32_t, Uio&, IoFlags, const VfsContext&) {
  return base::fail(Errno::Enodev);
}
KResult<void> CharDevice::ioctl(std::uint32_t, std::uint32_t, base::MutableByteSpan, std::uint32_t,
                                const VfsContext&) {
  return base::fail(Errno::Enotty);
}

namespace {

// Swallows a write whole, as the null and zero drivers do.
void consume_write(Uio& uio) {
  std::size_t before = uio.resid();
  uio.move_in(uio.resid());
  PROCSIM_ASSERT(uio.resid() == 0);
  PROCSIM_ASSERT(uio.transferred() >= before);
}

}  // namespace

KResult<void> NullDevice::read(std::uint32_t, Uio&, IoFlags, const VfsContext&) { return {}; }

KResult<void> NullDevice::write(std::uint32_t, Uio& uio, IoFlags, const VfsContext&) {
  consume_write(uio);
  return {};
}

KResult<void> ZeroDevice::read(std::uint32_t, Uio& uio, IoFlags, const VfsContext&) {
  static constexpr std::array<std::uint8_t, 512> kZeros{};
  while (uio.resid() > 0) {
    std::size_t moved = uio.move_out(kZeros);
    PROCSIM_ASSERT(moved > 0);
  }
  return {};
}

KResult<void> ZeroDevice::write(std::uint32_t, Uio& uio, IoFlags, const VfsContext&) {
  consume_write(uio);
  return {};
}

void DeviceSwitch::attach(std::uint32_t rdev, CharDevice& device) {
  auto [position, inserted] = m_by_rdev.emplace(rdev, &device);
  PROCSIM_ASSERT_MSG(inserted, "device number attached twice");
  PROCSIM_ASSERT(position->second == &device);
}

CharDevice* DeviceSwitch::find(std::uint32_t rdev) const {
  auto it = m_by_rdev.find(rdev);
  if (it == m_by_rdev.end()) return nullptr;
  PROCSIM_ASSERT(it->second != nullptr);
  return it->second;
}

}  // namespace procsim::vfs
