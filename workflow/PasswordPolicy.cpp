#include "workflow/PasswordPolicy.h"

#include <pwquality.h>

#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "model/Errors.h"

namespace liufang::workflow {
namespace {

// cracklib keeps static state while it reads its dictionary: one check at a time.
std::mutex& pwqualityMutex() {
  static std::mutex m;
  return m;
}

struct SettingsDeleter {
  void operator()(pwquality_settings_t* s) const { pwquality_free_settings(s); }
};

// pwquality_check's result for password (and username), with our settings: the library's
// defaults, not /etc/security/pwquality.conf, so the policy is the same on every machine; its
// own byte-counted length rule set to its floor, because ours counts characters. aux receives
// the library's English detail.
int pwqualityCheck(const std::string& password, const std::string& username, std::string* aux) {
  std::unique_ptr<pwquality_settings_t, SettingsDeleter> settings(pwquality_default_settings());
  if (!settings) throw std::runtime_error("libpwquality: out of memory");
  pwquality_set_int_value(settings.get(), PWQ_SETTING_MIN_LENGTH, 6);
  std::lock_guard<std::mutex> lock(pwqualityMutex());
  void* auxerror = nullptr;
  const int score = pwquality_check(settings.get(), password.c_str(), nullptr,
                                    username.empty() ? nullptr : username.c_str(), &auxerror);
  if (score < 0 && aux) {
    char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
    const char* text = pwquality_strerror(buf, sizeof buf, score, auxerror);
    *aux = text ? text : "";
  }
  // For PWQ_ERROR_CRACKLIB_CHECK, auxerror is cracklib's own message (static, not freed).
  if (score == PWQ_ERROR_CRACKLIB_CHECK && auxerror &&
      std::strstr(static_cast<const char*>(auxerror), "error loading dictionary"))
    throw std::runtime_error(
        "the common-password check cannot load the cracklib dictionary "
        "(install the cracklib-runtime package)");
  return score;
}

// The password in lower case without what people append to a word to pass a rule ("Password"
// + "2026!"), so the dictionary sees the word itself.
std::string stem(const std::string& password) {
  std::string s = password;
  while (!s.empty() && std::isalpha(static_cast<unsigned char>(s.back())) == 0 &&
         static_cast<unsigned char>(s.back()) < 0x80)
    s.pop_back();
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

size_t utf8Length(const std::string& text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    if (lead < 0x80)
      extra = 0;
    else if (lead >= 0xC2 && lead <= 0xDF)
      extra = 1;
    else if (lead >= 0xE0 && lead <= 0xEF)
      extra = 2;
    else if (lead >= 0xF0 && lead <= 0xF4)
      extra = 3;
    else
      throw Invalid(Msg("The text is not valid UTF-8."));
    if (i + extra >= text.size()) throw Invalid(Msg("The text is not valid UTF-8."));
    for (size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
        throw Invalid(Msg("The text is not valid UTF-8."));
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    const auto second = extra > 0 ? static_cast<unsigned char>(text[i + 1]) : 0;
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second >= 0xA0) ||
        (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second >= 0x90))
      throw Invalid(Msg("The text is not valid UTF-8."));
    i += extra + 1;
  }
  return count;
}

PasswordPolicy::PasswordPolicy(size_t minChars, bool commonCheck)
    : minChars_(minChars), commonCheck_(commonCheck) {}

void PasswordPolicy::check(const std::string& password, const std::string& username) const {
  if (utf8Length(password) < minChars_)
    throw Invalid(
        Msg("A password needs at least {1} characters.").arg(static_cast<long long>(minChars_)));
  if (!commonCheck_) return;
  std::string detail;
  const int score = pwqualityCheck(password, username, &detail);
  if (score == PWQ_ERROR_USER_CHECK)
    throw Invalid(Msg("A password must not contain the user name."));
  if (score == PWQ_ERROR_CRACKLIB_CHECK)
    throw Invalid(Msg("This password is too common or built on a dictionary word."));
  if (score < 0) throw Invalid(Msg("This password is too easy to guess ({1}).").arg(detail));
  const std::string base = stem(password);
  if (base != password && base.size() >= 6 &&
      pwqualityCheck(base, "", &detail) == PWQ_ERROR_CRACKLIB_CHECK)
    throw Invalid(Msg("This password is too common or built on a dictionary word."));
}

}  // namespace liufang::workflow
