// The terminal driver: canonical-mode reads that sleep on "ttyin", writes that never block, the
// foreground-group ioctls, and the table that registers every terminal with the device switch.
// spec/kernel.md §6 names the wmesg strings; the termios defaults are 8.3's ttydefaults.h.
#include "model/kern/tty.h"

#include <algorithm>

#include "model/kern/kernel.h"
#include "model/vfs/vfs_syscalls.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// Retries of a read whose wakeup found the queue empty again: a bound, never reached.
constexpr std::size_t kMaxInputWaits = 1'000'000;
// NO_PID: what TIOCGPGRP answers when the terminal has no foreground group.
constexpr std::int32_t kNoPid = 100000;
// PSOCK + 1: the priority a terminal reader sleeps at (TTIPRI).
constexpr int kTtyInputPriority = 81;

std::string_view driver_name_of(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::Console: return "console";
    case DeviceKind::Screen: return "sc";
    case DeviceKind::Pty: return "ttyp";
    case DeviceKind::Null: return "null";
    case DeviceKind::Zero: return "zero";
    case DeviceKind::Ctty: return "ctty";
  }
  PROCSIM_UNREACHABLE();
}

bool is_terminal(DeviceKind kind) {
  return kind == DeviceKind::Console || kind == DeviceKind::Screen || kind == DeviceKind::Pty;
}

}  // namespace

Tty::Tty(Kernel& kernel, const DeviceNodeRow& row, std::uint32_t rdev)
    : m_kernel(&kernel), m_driver_name(driver_name_of(row.kind)), m_device_name(row.name), m_rdev(rdev) {
  PROCSIM_ASSERT(is_terminal(row.kind));
  PROCSIM_ASSERT(rdev != vfs::kNodev);
}

std::string_view Tty::name() const { return m_driver_name; }

// Canonical mode: a read returns at most one line. With nothing queued it sleeps
// interruptibly; O_NONBLOCK makes that EAGAIN instead.
vfs::KResult<void> Tty::read(std::uint32_t, vfs::Uio& uio, vfs::IoFlags ioflag, const vfs::VfsContext&) {
  if (m_input.empty() && m_eof_pending) {
    m_eof_pending = false;
    return {};
  }
  TRY(wait_for_input(ioflag));
  if (m_input.empty()) {
    PROCSIM_ASSERT(m_eof_pending);
    m_eof_pending = false;
    return {};
  }
  std::size_t line_end = m_input.find('\n');
  std::size_t available = line_end == std::string::npos ? m_input.size() : line_end + 1;
  std::size_t moved =
      uio.move_out(base::ByteSpan(reinterpret_cast<const std::uint8_t*>(m_input.data()), available));
  PROCSIM_ASSERT(moved <= available);
  m_input.erase(0, moved);
  return {};
}

vfs::KResult<void> Tty::wait_for_input(vfs::IoFlags ioflag) {
  for (std::size_t round = 0; round < kMaxInputWaits; ++round) {
    if (!m_input.empty() || m_eof_pending) return {};
    if ((ioflag & vfs::kIoNdelay) != 0) return base::fail(vfs::Errno::Eagain);
    Thread* td = m_kernel->current_thread();
    // Only a thread can wait; a read from the driver's own stack finds nothing to wait for.
    if (td == nullptr) return base::fail(vfs::Errno::Eagain);
    ++m_waiting_readers;
    vfs::KResult<void> slept = m_kernel->sleep(*td, WaitChannel{WaitChannel::Kind::TtyInput, m_rdev},
                                               kTtyInputPriority, "ttyin", 0, true);
    PROCSIM_ASSERT(m_waiting_readers > 0);
    --m_waiting_readers;
    TRY(std::move(slept));
  }
  PROCSIM_UNREACHABLE();
}

// Output is never held back: the transcript is an endless screen.
vfs::KResult<void> Tty::write(std::uint32_t, vfs::Uio& uio, vfs::IoFlags, const vfs::VfsContext&) {
  std::size_t count = uio.resid();
  base::ByteSpan bytes = uio.move_in(count);
  PROCSIM_ASSERT(bytes.size() == count);
  m_output.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (m_output.size() > kOutputBytesMax) m_output.erase(0, m_output.size() - kOutputBytesMax);
  PROCSIM_ASSERT(m_output.size() <= kOutputBytesMax);
  return {};
}

vfs::KResult<void> Tty::ioctl(std::uint32_t, std::uint32_t command, base::MutableByteSpan data, std::uint32_t,
                              const vfs::VfsContext&) {
  switch (command) {
    case kTiocgeta:
      PROCSIM_ASSERT(data.size() == kTermiosBytes);
      encode_default_termios(data);
      return {};
    case kTiocseta: return {};  // accepted; the line discipline's modes are not modelled
    case vfs::kFionbio:
    case vfs::kFioasync: return {};
    case vfs::kFionread:
      PROCSIM_ASSERT(data.size() == 4);
      base::store_le<std::uint32_t>(data, 0, static_cast<std::uint32_t>(m_input.size()));
      return {};
    case kTiocgpgrp: {
      PROCSIM_ASSERT(data.size() == 4);
      Thread* td = m_kernel->current_thread();
      if (td == nullptr || td->proc().pgrp->session != session) return base::fail(vfs::Errno::Enotty);
      // A foreground group that has since emptied is gone, as pgdelete clears t_pgrp.
      Pgrp* pgrp = foreground.value() != 0 ? m_kernel->pgfind(foreground) : nullptr;
      std::int32_t pgid = pgrp != nullptr && pgrp->session == session ? pgrp->pgid.value() : kNoPid;
      base::store_le<std::int32_t>(data, 0, pgid);
      return {};
    }
    case kTiocspgrp: return set_foreground(data);
    default: return base::fail(vfs::Errno::Enotty);
  }
}

// TIOCSPGRP: only through the caller's controlling terminal (ENOTTY), to a group of the
// caller's session (EPERM).
vfs::KResult<void> Tty::set_foreground(base::MutableByteSpan data) {
  PROCSIM_ASSERT(data.size() == 4);
  Thread* td = m_kernel->current_thread();
  if (td == nullptr) return base::fail(vfs::Errno::Enotty);
  Proc& p = td->proc();
  if (session == nullptr || p.pgrp->session != session || (p.flag & P_CONTROLT) == 0) {
    return base::fail(vfs::Errno::Enotty);
  }
  // A negative or unknown id finds no group: EPERM, like one of another session.
  std::int32_t pgid = base::load_le<std::int32_t>(data, 0);
  Pgrp* pgrp = pgid > 0 ? m_kernel->pgfind(Pid(pgid)) : nullptr;
  if (pgrp == nullptr || pgrp->session != session) return base::fail(vfs::Errno::Eperm);
  foreground = pgrp->pgid;
  return {};
}

std::string Tty::take_output() {
  std::string out = std::move(m_output);
  m_output.clear();
  PROCSIM_ASSERT(m_output.empty());
  return out;
}

void Tty::push_input(std::string_view bytes) {
  std::size_t room = kInputBytesMax - std::min(kInputBytesMax, m_input.size());
  m_input.append(bytes.substr(0, std::min(room, bytes.size())));
  PROCSIM_ASSERT(m_input.size() <= kInputBytesMax);
  wake_readers();
}

void Tty::push_eof() {
  m_eof_pending = true;
  wake_readers();
}

void Tty::wake_readers() { m_kernel->wakeup(WaitChannel{WaitChannel::Kind::TtyInput, m_rdev}); }

Tty* ControllingTty::controlling() const {
  Thread* td = m_kernel->current_thread();
  if (td == nullptr) return nullptr;
  const Proc& p = td->proc();
  const Session& session = *p.pgrp->session;
  if ((p.flag & P_CONTROLT) == 0 || !session.has_tty_vnode || session.ttyp == nullptr) return nullptr;
  return session.ttyp->session == &session ? session.ttyp : nullptr;
}

vfs::KResult<void> ControllingTty::open(std::uint32_t, std::uint32_t, const vfs::VfsContext&) {
  if (controlling() == nullptr) return base::fail(vfs::Errno::Enxio);
  return {};
}

vfs::KResult<void> ControllingTty::read(std::uint32_t, vfs::Uio& uio, vfs::IoFlags ioflag,
                                        const vfs::VfsContext& ctx) {
  Tty* tty = controlling();
  if (tty == nullptr) return base::fail(vfs::Errno::Eio);
  return tty->read(0, uio, ioflag, ctx);
}

vfs::KResult<void> ControllingTty::write(std::uint32_t, vfs::Uio& uio, vfs::IoFlags ioflag,
                                         const vfs::VfsContext& ctx) {
  Tty* tty = controlling();
  if (tty == nullptr) return base::fail(vfs::Errno::Eio);
  return tty->write(0, uio, ioflag, ctx);
}

vfs::KResult<void> ControllingTty::ioctl(std::uint32_t, std::uint32_t command, base::MutableByteSpan data,
                                         std::uint32_t fflags, const vfs::VfsContext& ctx) {
  Tty* tty = controlling();
  if (tty == nullptr) return base::fail(vfs::Errno::Eio);
  return tty->ioctl(0, command, data, fflags, ctx);
}

TtyTable::TtyTable(Kernel& kernel, vfs::Era era) : m_ctty(kernel) {
  for (const DeviceNodeRow& row : kDeviceNodes) {
    if (!is_terminal(row.kind)) continue;
    m_ttys.push_back(std::make_unique<Tty>(kernel, row, device_rdev(row, era)));
  }
  PROCSIM_ASSERT(m_ttys.size() == kTerminalCount);
}

void TtyTable::attach(vfs::DeviceSwitch& devices, vfs::Era era) {
  for (const DeviceNodeRow& row : kDeviceNodes) {
    std::uint32_t rdev = device_rdev(row, era);
    switch (row.kind) {
      case DeviceKind::Null: devices.attach(rdev, devices.null_device()); break;
      case DeviceKind::Zero: devices.attach(rdev, devices.zero_device()); break;
      case DeviceKind::Ctty: devices.attach(rdev, m_ctty); break;
      case DeviceKind::Console:
      case DeviceKind::Screen:
      case DeviceKind::Pty: {
        Tty* tty = find(row.name);
        PROCSIM_ASSERT(tty != nullptr && tty->rdev() == rdev);
        devices.attach(rdev, *tty);
        break;
      }
    }
  }
}

Tty* TtyTable::find(std::string_view name) const {
  auto it = std::find_if(m_ttys.begin(), m_ttys.end(),
                         [name](const std::unique_ptr<Tty>& tty) { return tty->device_name() == name; });
  return it == m_ttys.end() ? nullptr : it->get();
}

void encode_default_termios(base::MutableByteSpan out) {
  PROCSIM_ASSERT(out.size() == kTermiosBytes);
  // TTYDEF_IFLAG (BRKINT|ICRNL|IMAXBEL|IXON|IXANY), TTYDEF_OFLAG (OPOST|ONLCR), TTYDEF_CFLAG
  // (CREAD|CS8|HUPCL), TTYDEF_LFLAG (ECHO|ICANON|ISIG|IEXTEN|ECHOE|ECHOKE|ECHOCTL).
  base::store_le<std::uint32_t>(out, 0, 0x2b02);
  base::store_le<std::uint32_t>(out, 4, 0x0003);
  base::store_le<std::uint32_t>(out, 8, 0x4b00);
  base::store_le<std::uint32_t>(out, 12, 0x05cb);
  // c_cc: VEOF ^D, VEOL and VEOL2 disabled, VERASE DEL, VWERASE ^W, VKILL ^U, VREPRINT ^R,
  // spare, VINTR ^C, VQUIT ^\, VSUSP ^Z, VDSUSP ^Y, VSTART ^Q, VSTOP ^S, VLNEXT ^V,
  // VDISCARD ^O, VMIN 1, VTIME 0, VSTATUS ^T, spare.
  static constexpr std::array<std::uint8_t, 20> kControlChars = {0x04, 0xff, 0xff, 0x7f, 0x17, 0x15, 0x12,
                                                                 0xff, 0x03, 0x1c, 0x1a, 0x19, 0x11, 0x13,
                                                                 0x16, 0x0f, 0x01, 0x00, 0x14, 0xff};
  std::copy(kControlChars.begin(), kControlChars.end(), out.begin() + 16);
  base::store_le<std::uint32_t>(out, 36, 9600);
  base::store_le<std::uint32_t>(out, 40, 9600);
}

}  // namespace procsim::kern
