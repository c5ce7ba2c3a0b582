#pragma once
// UI languages through Boost.Locale and gettext catalogs compiled into the binary. Each request
// picks its own std::locale, so two users can read two languages at the same moment.
#include <kainjow/mustache.hpp>
#include <locale>
#include <map>
#include <string>
#include <vector>

#include "model/Errors.h"

namespace liufang::web {

// The strings templates show, as (key, English msgid). Templates read them as {{t.key}}; the
// zh_CN text comes from web/i18n/zh_CN.po. Templates hold no words of their own.
const std::vector<std::pair<std::string, std::string>>& uiStrings();

class I18n {
 public:
  // Builds the locales "zh_CN" and "en" from the embedded catalogs. defaultLang is used when a
  // request names none. Throws std::runtime_error if the zh_CN catalog is missing.
  explicit I18n(const std::string& defaultLang = "zh_CN");

  // "en", "en_US", "en-GB" -> "en"; "zh", "zh_CN", "zh-Hans" -> "zh_CN"; else "" (unknown).
  static std::string normalize(const std::string& requested);
  const std::string& defaultLang() const { return default_; }

  // The translation of an English msgid in lang (the msgid itself if the catalog lacks it).
  std::string tr(const std::string& lang, const std::string& msgid) const;
  // tr() with "{1}" replaced by arg (Boost.Locale format syntax, so translators may move it).
  std::string format(const std::string& lang, const std::string& msgid,
                     const std::string& arg) const;
  // A Msg in lang: its msgid translated, then {1}..{n} filled (label arguments translated too).
  std::string render(const std::string& lang, const Msg& msg) const;
  // The plural form for n (gettext ngettext), with "{1}" replaced by n.
  std::string plural(const std::string& lang, const std::string& singular,
                     const std::string& pluralForm, long n) const;
  // {"t": {key: text}} for every uiStrings() entry in lang; built once, read-only, shared.
  const kainjow::mustache::data& strings(const std::string& lang) const;
  // uiStrings() msgids the zh_CN catalog does not translate (empty when it is complete).
  std::vector<std::string> untranslated() const;

 private:
  const std::locale& localeFor(const std::string& lang) const;

  std::string default_;
  std::map<std::string, std::locale> locales_;
  std::map<std::string, kainjow::mustache::data> strings_;
};

}  // namespace liufang::web
