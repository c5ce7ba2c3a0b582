#include "web/I18n.h"

#include <boost/locale/format.hpp>
#include <boost/locale/generator.hpp>
#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>
#include <stdexcept>

// Generated from web/i18n/*.po by web/CMakeLists.txt: language -> .mo bytes.
const std::map<std::string, std::string>& liufangWebCatalogs();

namespace liufang::web {
namespace {

const char* kDomain = "liufang";
const char* kRoot = "embedded";

// The messages facet reads catalogs through this callback instead of the file system, so the
// binary needs no installed .mo files. Asked for "<root>/<folder>/LC_MESSAGES/liufang.mo".
std::vector<char> readEmbeddedCatalog(const std::string& fileName, const std::string&) {
  const std::string prefix = std::string(kRoot) + "/";
  const std::string suffix = std::string("/LC_MESSAGES/") + kDomain + ".mo";
  if (fileName.rfind(prefix, 0) != 0 || fileName.size() <= prefix.size() + suffix.size() ||
      fileName.compare(fileName.size() - suffix.size(), suffix.size(), suffix) != 0)
    return {};
  const std::string folder =
      fileName.substr(prefix.size(), fileName.size() - prefix.size() - suffix.size());
  const auto& catalogs = liufangWebCatalogs();
  auto it = catalogs.find(folder);
  if (it == catalogs.end()) return {};
  return std::vector<char>(it->second.begin(), it->second.end());
}

std::locale makeLocale(const std::string& language, const std::string& country) {
  boost::locale::generator gen;
  std::locale base = gen(language + "_" + country + ".UTF-8");
  boost::locale::gnu_gettext::messages_info info;
  info.language = language;
  info.country = country;
  info.encoding = "UTF-8";
  info.domains.push_back(boost::locale::gnu_gettext::messages_info::domain(kDomain));
  info.paths.push_back(kRoot);
  info.callback = readEmbeddedCatalog;
  return std::locale(base, boost::locale::gnu_gettext::create_messages_facet<char>(info));
}

}  // namespace

I18n::I18n(const std::string& defaultLang) {
  if (liufangWebCatalogs().count("zh_CN") == 0)
    throw std::runtime_error("the zh_CN message catalog is not compiled in");
  locales_.emplace("zh_CN", makeLocale("zh", "CN"));
  locales_.emplace("en", makeLocale("en", "US"));
  default_ = normalize(defaultLang);
  if (default_.empty()) default_ = "zh_CN";
  for (const auto& [lang, loc] : locales_) {
    kainjow::mustache::data t;
    for (const auto& [key, msgid] : uiStrings())
      t.set(key, boost::locale::gettext(msgid.c_str(), loc));
    kainjow::mustache::data root;
    root.set("t", t);
    strings_.emplace(lang, std::move(root));
  }
}

std::string I18n::normalize(const std::string& requested) {
  if (requested.size() >= 2) {
    const std::string head = requested.substr(0, 2);
    if (head == "en" || head == "EN") return "en";
    if (head == "zh" || head == "ZH") return "zh_CN";
  }
  return {};
}

const std::locale& I18n::localeFor(const std::string& lang) const {
  auto it = locales_.find(lang);
  return it != locales_.end() ? it->second : locales_.at(default_);
}

std::string I18n::tr(const std::string& lang, const std::string& msgid) const {
  if (msgid.empty()) return {};
  return boost::locale::gettext(msgid.c_str(), localeFor(lang));
}

std::string I18n::format(const std::string& lang, const std::string& msgid,
                         const std::string& arg) const {
  const std::locale& loc = localeFor(lang);
  return (boost::locale::format(boost::locale::gettext(msgid.c_str(), loc)) % arg).str(loc);
}

std::string I18n::render(const std::string& lang, const Msg& msg) const {
  // Filled by hand rather than with boost::locale::format: an argument is people's text and
  // may contain braces, which format would read as placeholders.
  return msg.fill(tr(lang, msg.id()),
                  [&](const Msg::Arg& a) { return a.translate ? tr(lang, a.text) : a.text; });
}

std::string I18n::plural(const std::string& lang, const std::string& singular,
                         const std::string& pluralForm, long n) const {
  const std::locale& loc = localeFor(lang);
  return (boost::locale::format(
              boost::locale::ngettext(singular.c_str(), pluralForm.c_str(), n, loc)) %
          n)
      .str(loc);
}

const kainjow::mustache::data& I18n::strings(const std::string& lang) const {
  auto it = strings_.find(lang);
  return it != strings_.end() ? it->second : strings_.at(default_);
}

std::vector<std::string> I18n::untranslated() const {
  std::vector<std::string> out;
  for (const auto& [key, msgid] : uiStrings())
    if (tr("zh_CN", msgid) == msgid) out.push_back(msgid);
  return out;
}

}  // namespace liufang::web
