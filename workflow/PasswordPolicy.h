#pragma once
// What a new password must satisfy, checked before it is hashed (model/Password.h). One policy
// for every way a password is set: `liufang user add|passwd`, the demo, the web admin pages.
#include <cstddef>
#include <string>

namespace liufang::workflow {

// The number of Unicode code points in UTF-8 text (so "社区党委" is 4, not 12). Throws Invalid
// if text is not well-formed UTF-8.
size_t utf8Length(const std::string& text);

class PasswordPolicy {
 public:
  // The default minimum, in characters: long enough that an offline guess against a stolen
  // Argon2id hash is out of reach even for a password made of plain words.
  static constexpr size_t kDefaultMinChars = 12;

  // minChars: the shortest acceptable password in characters (code points). commonCheck:
  // also refuse passwords libpwquality's dictionary check (cracklib) finds common, systematic
  // or built on a dictionary word, palindromes, and passwords containing the user name.
  explicit PasswordPolicy(size_t minChars = kDefaultMinChars, bool commonCheck = true);

  // Returns normally if password is acceptable for username; otherwise throws Invalid naming
  // the first rule broken (too short, not UTF-8, contains the user name, common). Throws
  // std::runtime_error if the common-password dictionary cannot be loaded (the
  // cracklib-runtime package builds it): a missing check fails closed, never open.
  void check(const std::string& password, const std::string& username) const;

  size_t minChars() const { return minChars_; }

 private:
  size_t minChars_;
  bool commonCheck_;
};

}  // namespace liufang::workflow
