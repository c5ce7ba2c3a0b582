#pragma once
// libsodium must be initialised before any other call; this does it once per process.
#include <sodium.h>

#include <stdexcept>

namespace liufang::model {

// sodium_init() is idempotent and thread-safe; the static keeps hot paths (a hash per event)
// free of even that check. Throws std::runtime_error if libsodium cannot start.
inline void ensureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    return true;
  }();
  (void)ready;
}

}  // namespace liufang::model
