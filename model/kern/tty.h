// Terminals as character devices: the console, the console screen ttyv0 and the pseudo-terminal
// slaves ttyp0..ttyp9, in canonical mode, and /dev/tty. What a program writes is kept for the driver to take
// (it reaches the transcript); the driver pushes input lines that reads return one line at a time, sleeping
// on "ttyin" while the queue is empty. Line editing, echo, flow control, the pty masters, SIGTTIN and SIGTTOU
// for background groups, and carrier loss are not modelled.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/kern/pid_alloc.h"
#include "model/vfs/device.h"
#include "model/vfs/errno.h"
#include "model/vfs/vnode.h"

namespace procsim::kern {

class Kernel;
struct Session;

// Terminal ioctls (8.3 sys/sys/ttycom.h, _IOR/_IOW/_IO('t', n, ...)). <sys/ioctl.h> defines
// these names as macros, hence the k-names.
inline constexpr std::uint32_t kTiocgeta = 0x402c7413;   // _IOR('t', 19, struct termios)
inline constexpr std::uint32_t kTiocseta = 0x802c7414;   // _IOW('t', 20, struct termios)
inline constexpr std::uint32_t kTiocspgrp = 0x80047476;  // _IOW('t', 118, int)
inline constexpr std::uint32_t kTiocgpgrp = 0x40047477;  // _IOR('t', 119, int)
// sizeof(struct termios): four tcflag_t, c_cc[NCCS = 20], two speed_t.
inline constexpr std::size_t kTermiosBytes = 44;

// What a node under /dev is served by.
enum class DeviceKind : std::uint8_t { Console, Screen, Pty, Null, Zero, Ctty };

// One device node: its name under /dev, its number in the 4.4BSD/FreeBSD 4 scheme
// (makedev(major, minor) with the i386 majors: cn 0, ctty 1, mem 2, pts 5, and 12 for the
// console screen ttyv0, the "12,0" of the 4.4BSD procfs README) and in FreeBSD 8's devfs
// (major 0, a unit number per device), and its mode; every node is root:wheel.
struct DeviceNodeRow {
  std::string_view name;
  DeviceKind kind;
  std::uint32_t rdev_static;
  std::uint32_t rdev_devfs;
  std::uint32_t mode;
};

inline constexpr std::size_t kPtyCount = 10;

// Creation order is /dev's directory order.
inline constexpr std::array<DeviceNodeRow, 5 + kPtyCount> kDeviceNodes = {{
    {"console", DeviceKind::Console, vfs::makedev(0, 0), vfs::makedev(0, 4), 0600},
    {"tty", DeviceKind::Ctty, vfs::makedev(1, 0), vfs::makedev(0, 5), 0666},
    {"null", DeviceKind::Null, vfs::makedev(2, 2), vfs::makedev(0, 6), 0666},
    {"zero", DeviceKind::Zero, vfs::makedev(2, 12), vfs::makedev(0, 7), 0666},
    {"ttyv0", DeviceKind::Screen, vfs::makedev(12, 0), vfs::makedev(0, 8), 0600},
    {"ttyp0", DeviceKind::Pty, vfs::makedev(5, 0), vfs::makedev(0, 9), 0666},
    {"ttyp1", DeviceKind::Pty, vfs::makedev(5, 1), vfs::makedev(0, 10), 0666},
    {"ttyp2", DeviceKind::Pty, vfs::makedev(5, 2), vfs::makedev(0, 11), 0666},
    {"ttyp3", DeviceKind::Pty, vfs::makedev(5, 3), vfs::makedev(0, 12), 0666},
    {"ttyp4", DeviceKind::Pty, vfs::makedev(5, 4), vfs::makedev(0, 13), 0666},
    {"ttyp5", DeviceKind::Pty, vfs::makedev(5, 5), vfs::makedev(0, 14), 0666},
    {"ttyp6", DeviceKind::Pty, vfs::makedev(5, 6), vfs::makedev(0, 15), 0666},
    {"ttyp7", DeviceKind::Pty, vfs::makedev(5, 7), vfs::makedev(0, 16), 0666},
    {"ttyp8", DeviceKind::Pty, vfs::makedev(5, 8), vfs::makedev(0, 17), 0666},
    {"ttyp9", DeviceKind::Pty, vfs::makedev(5, 9), vfs::makedev(0, 18), 0666},
}};

// The device number a row has in an era: devfs numbering from FreeBSD 5 on.
constexpr std::uint32_t device_rdev(const DeviceNodeRow& row, vfs::Era era) {
  return era == vfs::Era::FreeBSD8 ? row.rdev_devfs : row.rdev_static;
}

class Tty final : public vfs::CharDevice {
 public:
  // Limits: bytes kept for the driver (older output is dropped first, as a scrolled-off
  // screen), and bytes queued as input (a push beyond it is cut short).
  static constexpr std::size_t kOutputBytesMax = 1 << 20;
  static constexpr std::size_t kInputBytesMax = 1 << 16;

  Tty(Kernel& kernel, const DeviceNodeRow& row, std::uint32_t rdev);

  // d_name of the driver ("console", "ttyp") and devtoname() of the device ("ttyp0").
  std::string_view name() const override;
  const std::string& device_name() const { return m_device_name; }
  std::uint32_t rdev() const { return m_rdev; }
  bool is_tty() const override { return true; }

  vfs::KResult<void> read(std::uint32_t minor, vfs::Uio& uio, vfs::IoFlags ioflag,
                          const vfs::VfsContext& ctx) override;
  vfs::KResult<void> write(std::uint32_t minor, vfs::Uio& uio, vfs::IoFlags ioflag,
                           const vfs::VfsContext& ctx) override;
  vfs::KResult<void> ioctl(std::uint32_t minor, std::uint32_t command, base::MutableByteSpan data,
                           std::uint32_t fflags, const vfs::VfsContext& ctx) override;

  // ---- Driver side: what the transcript sees and what the user types.
  // Everything written since the last call.
  std::string take_output();
  bool has_output() const { return !m_output.empty(); }
  // Queues input bytes (a line should end in '\n') and wakes the readers.
  void push_input(std::string_view bytes);
  // The user typed the end-of-file character: a read with no queued input returns 0 once.
  void push_eof();
  std::size_t queued_input() const { return m_input.size(); }
  // Threads asleep in a read of this terminal: a shell waiting at its prompt.
  std::size_t waiting_readers() const { return m_waiting_readers; }

  // t_session and t_pgrp (the foreground process group; 0 when none).
  Session* session = nullptr;
  Pid foreground{0};

 private:
  vfs::KResult<void> wait_for_input(vfs::IoFlags ioflag);
  vfs::KResult<void> set_foreground(base::MutableByteSpan data);
  void wake_readers();

  Kernel* m_kernel;
  std::string_view m_driver_name;
  std::string m_device_name;
  std::uint32_t m_rdev;
  std::string m_output;
  std::string m_input;
  bool m_eof_pending = false;
  std::size_t m_waiting_readers = 0;
};

// /dev/tty: the opener's controlling terminal (4.4BSD's ctty driver; 8.x clones the terminal's
// own device instead, which behaves the same while the session holds its terminal). Opening it
// without a controlling terminal is ENXIO; I/O after the session lost its terminal is EIO.
class ControllingTty final : public vfs::CharDevice {
 public:
  explicit ControllingTty(Kernel& kernel) : m_kernel(&kernel) {}

  std::string_view name() const override { return "ctty"; }
  bool is_tty() const override { return true; }
  vfs::KResult<void> open(std::uint32_t minor, std::uint32_t fflags, const vfs::VfsContext& ctx) override;
  vfs::KResult<void> read(std::uint32_t minor, vfs::Uio& uio, vfs::IoFlags ioflag,
                          const vfs::VfsContext& ctx) override;
  vfs::KResult<void> write(std::uint32_t minor, vfs::Uio& uio, vfs::IoFlags ioflag,
                           const vfs::VfsContext& ctx) override;
  vfs::KResult<void> ioctl(std::uint32_t minor, std::uint32_t command, base::MutableByteSpan data,
                           std::uint32_t fflags, const vfs::VfsContext& ctx) override;

 private:
  // The calling process's controlling terminal, or null.
  Tty* controlling() const;

  Kernel* m_kernel;
};

// Every terminal of the machine, in kDeviceNodes order, and /dev/tty.
inline constexpr std::size_t kTerminalCount = kPtyCount + 2;
class TtyTable {
 public:
  TtyTable(Kernel& kernel, vfs::Era era);

  // Registers every terminal, /dev/null and /dev/zero with the device switch.
  void attach(vfs::DeviceSwitch& devices, vfs::Era era);
  // By devtoname ("ttyp0", "console"), or null.
  Tty* find(std::string_view name) const;
  const std::vector<std::unique_ptr<Tty>>& all() const { return m_ttys; }

 private:
  std::vector<std::unique_ptr<Tty>> m_ttys;
  ControllingTty m_ctty;
};

// The struct termios a fresh terminal reports (8.3 sys/sys/ttydefaults.h, 9600 baud).
void encode_default_termios(base::MutableByteSpan out);

}  // namespace procsim::kern
