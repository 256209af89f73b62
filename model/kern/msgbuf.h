// The kernel message buffer: what the kernel prints on the console or logs with log(9), kept
// in order for dmesg. Like FreeBSD's msgbuf it has a fixed size and forgets its oldest bytes
// when full. Log priorities, the console device and syslogd's /dev/klog are not modelled.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace procsim::kern {

class MessageBuffer {
 public:
  // MSGBUF_SIZE in 8.3's amd64 GENERIC (sys/sys/msgbuf.h default): 96 KiB.
  static constexpr std::size_t kDefaultBytes = 98304;

  explicit MessageBuffer(std::size_t capacity_bytes = kDefaultBytes);

  // Appends a message exactly as printed; callers include the trailing newline.
  void append(std::string_view text);

  // Everything still held, oldest first (what dmesg reads).
  const std::string& contents() const { return m_text; }
  std::size_t capacity() const { return m_capacity; }

 private:
  std::size_t m_capacity;
  std::string m_text;
};

}  // namespace procsim::kern
