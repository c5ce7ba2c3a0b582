#pragma once
// Mustache pages from templates/ (compiled into the binary). Each template is parsed once per
// server thread, not per render: a parsed kainjow template may not be rendered from two threads
// at once (render() is non-const and records errors in the object), so every thread keeps its
// own parsed copies in a thread_local cache, and nothing is locked on the render path.
// Partials ({{> @name}}) are spliced into the including template's text when it is loaded,
// because kainjow parses a partial's text again at every use.
#include <cstdint>
#include <kainjow/mustache.hpp>
#include <map>
#include <string>

namespace liufang::web {

class Templates {
 public:
  // Loads every embedded templates/*.mustache and checks that each one parses and that every
  // partial it includes exists. Throws std::runtime_error naming the first broken template,
  // so a bad one fails start-up.
  Templates();
  // Builds from explicit {name -> source} (tests). Same checks.
  explicit Templates(std::map<std::string, std::string> sources);

  // Renders template `name` (without ".mustache") with data looked up first in page, then in
  // strings (the {{t.*}} UI texts); every template is available as a partial {{> @name}}.
  // Throws std::out_of_range for an unknown name.
  std::string render(const std::string& name, const kainjow::mustache::data& page,
                     const kainjow::mustache::data& strings) const;

  // render(name) and then the layout around it, with the page body as {{{body}}}.
  std::string renderPage(const std::string& name, const kainjow::mustache::data& page,
                         const kainjow::mustache::data& strings) const;

 private:
  void check();
  // This thread's parsed copy of template `name` (parsed on this thread's first use).
  kainjow::mustache::mustache& parsed(const std::string& name) const;

  std::map<std::string, std::string> sources_;   // as written
  std::map<std::string, std::string> expanded_;  // partials spliced in
  uint64_t generation_;  // tells the thread caches of two Templates objects apart
};

}  // namespace liufang::web
