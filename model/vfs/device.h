// Character devices as the VFS sees them (FreeBSD's cdevsw): the operations a device driver
// provides, the switch that maps a device number to its driver, and the two drivers the VFS
// owns itself, /dev/null and /dev/zero. Terminals are the kernel's drivers, registered here.
// Block devices, d_mmap, d_poll, d_kqfilter and cloning devices are not modelled.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>

#include "model/vfs/errno.h"
#include "model/vfs/vnode.h"

namespace procsim::vfs {

// struct cdevsw. A missing entry answers as FreeBSD's defaults: open and close succeed
// (nullop), read and write ENODEV, ioctl ENOTTY.
class CharDevice {
 public:
  virtual ~CharDevice() = default;
  // d_name: "null", "ttyp".
  virtual std::string_view name() const = 0;
  // D_TTY: a terminal. Its vnodes are VV_ISTTY (a revoked terminal reads end of file).
  virtual bool is_tty() const { return false; }
  virtual KResult<void> open(std::uint32_t minor, std::uint32_t fflags, const VfsContext& ctx);
  // Called on the last close of the device's vnode only, as devfs does without D_TRACKCLOSE.
  virtual KResult<void> close(std::uint32_t minor, std::uint32_t fflags, const VfsContext& ctx);
  virtual KResult<void> read(std::uint32_t minor, Uio& uio, IoFlags ioflag, const VfsContext& ctx);
  virtual KResult<void> write(std::uint32_t minor, Uio& uio, IoFlags ioflag, const VfsContext& ctx);
  virtual KResult<void> ioctl(std::uint32_t minor, std::uint32_t command, base::MutableByteSpan data,
                              std::uint32_t fflags, const VfsContext& ctx);
};

// The null device: reads are end of file, writes are accepted and dropped (sys/dev/null).
class NullDevice final : public CharDevice {
 public:
  std::string_view name() const override { return "null"; }
  KResult<void> read(std::uint32_t minor, Uio& uio, IoFlags ioflag, const VfsContext& ctx) override;
  KResult<void> write(std::uint32_t minor, Uio& uio, IoFlags ioflag, const VfsContext& ctx) override;
};

// The zero device: reads fill the buffer with zeros, writes are accepted and dropped.
class ZeroDevice final : public CharDevice {
 public:
  std::string_view name() const override { return "zero"; }
  KResult<void> read(std::uint32_t minor, Uio& uio, IoFlags ioflag, const VfsContext& ctx) override;
  KResult<void> write(std::uint32_t minor, Uio& uio, IoFlags ioflag, const VfsContext& ctx) override;
};

// Maps a device number (dev_t) to its driver. Whole numbers, not majors, are the key: FreeBSD 4
// serves /dev/null and /dev/zero from one major (the mem driver) and FreeBSD 8's devfs numbers
// every device on its own. Drivers are not owned, except null and zero, which the switch holds
// itself and which the caller attaches under the numbers its era uses.
class DeviceSwitch {
 public:
  // Registers `device` for the device number `rdev`. A number may be taken once.
  void attach(std::uint32_t rdev, CharDevice& device);
  // The driver of a device number, or null (open then fails with ENXIO).
  CharDevice* find(std::uint32_t rdev) const;
  NullDevice& null_device() { return m_null; }
  ZeroDevice& zero_device() { return m_zero; }

 private:
  std::map<std::uint32_t, CharDevice*> m_by_rdev;
  NullDevice m_null;
  ZeroDevice m_zero;
};

}  // namespace procsim::vfs
