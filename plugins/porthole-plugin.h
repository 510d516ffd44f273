/* porthole-plugin.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The C API for Porthole's native plugins.
 *
 * A native plugin is a shared module named in its plugin.json
 * ("contributes": {"module": "libmy-plugin.so"}).  Porthole opens it at
 * start-up and first reads the exported variable
 *
 *   const unsigned int porthole_plugin_api_version = PORTHOLE_PLUGIN_API_VERSION;
 *
 * A module built against another API version is reported and not used: no
 * other symbol of it is looked at.  When the version matches, Porthole
 * calls
 *
 *   int porthole_plugin_register (const PortholePluginRegistrar *registrar,
 *                                 char                         **error_message);
 *
 * which returns 0 on success, or non-zero with a malloc()ed message.  The
 * module registers its contributions through the registrar.  The API uses
 * plain C and JSON text only, so a plugin needs no Porthole library:
 * objects reach it as the JSON the API server sent.
 *
 * Everything a callback returns is malloc()ed and freed by Porthole with
 * free().  Callbacks run on the main thread and must not block.
 */

#ifndef PORTHOLE_PLUGIN_H
#define PORTHOLE_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PORTHOLE_PLUGIN_API_VERSION 1

#if defined(_WIN32)
# define PORTHOLE_PLUGIN_EXPORT __declspec(dllexport)
#else
# define PORTHOLE_PLUGIN_EXPORT __attribute__((visibility ("default")))
#endif

/* Renders a section of an object's detail page.  @object_json is the
 * object (length bytes, not NUL-terminated).  Returns the section's rows as
 * "label\tvalue" lines, or NULL when the section does not apply to this
 * object. */
typedef char *(*PortholeDetailRenderFunc) (const char *object_json,
                                           size_t      length,
                                           void       *user_data);

typedef struct {
  const char               *id;        /* unique within the plugin */
  const char               *title;     /* shown as the section heading */
  const char               *group;     /* API group the section applies to ("" = core), NULL = any */
  const char               *kind;      /* kind it applies to, NULL = any */
  PortholeDetailRenderFunc  render;
  void                     *user_data;
} PortholeDetailSection;

typedef struct _PortholePluginRegistrar PortholePluginRegistrar;

struct _PortholePluginRegistrar {
  unsigned int api_version;
  void        *porthole_private;
  /* Copies @section; the strings it points to must live as long as the
   * module (string literals do). */
  void (*add_detail_section) (const PortholePluginRegistrar *registrar,
                              const PortholeDetailSection   *section);
};

#ifdef __cplusplus
}
#endif

#endif /* PORTHOLE_PLUGIN_H */
