/* container-images.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A native plugin: a detail section listing the container images of a pod
 * or of any workload with a pod template.
 */

#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "porthole-plugin.h"

PORTHOLE_PLUGIN_EXPORT const unsigned int porthole_plugin_api_version = PORTHOLE_PLUGIN_API_VERSION;

PORTHOLE_PLUGIN_EXPORT int porthole_plugin_register (const PortholePluginRegistrar *registrar,
                                                     char                         **error_message);

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The pod spec of a Pod, of a workload's template, or of a CronJob's job
 * template. */
static JsonObject *
find_pod_spec (JsonObject *object)
{
  JsonObject *spec = get_object (object, "spec");
  JsonObject *job = get_object (get_object (spec, "jobTemplate"), "spec");

  if (job != NULL)
    spec = job;
  if (get_object (spec, "template") != NULL)
    return get_object (get_object (spec, "template"), "spec");
  return spec;
}

static void
add_containers (GString    *out,
                JsonObject *pod_spec,
                const char *member,
                const char *suffix)
{
  JsonNode *node = json_object_get_member (pod_spec, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *container;
      const char *name, *image;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      container = json_node_get_object (item);
      name = json_object_get_string_member_with_default (container, "name", "?");
      image = json_object_get_string_member_with_default (container, "image", "?");
      /* Tabs and newlines delimit the rows. */
      if (strpbrk (name, "\t\n") != NULL || strpbrk (image, "\t\n") != NULL)
        continue;
      g_string_append_printf (out, "%s%s\t%s\n", name, suffix, image);
    }
}

static char *
render_images (const char *object_json,
               size_t      length,
               void       *user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  JsonNode *root;
  JsonObject *pod_spec;

  if (!json_parser_load_from_data (parser, object_json, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  pod_spec = find_pod_spec (json_node_get_object (root));
  if (pod_spec == NULL)
    return NULL;

  add_containers (out, pod_spec, "initContainers", " (init)");
  add_containers (out, pod_spec, "containers", "");
  if (out->len == 0)
    return NULL;

  /* Porthole frees with free(). */
  return strdup (out->str);
}

int
porthole_plugin_register (const PortholePluginRegistrar *registrar,
                          char                         **error_message)
{
  static const PortholeDetailSection section = {
    .id = "images",
    .title = "Container images",
    .group = NULL,
    .kind = NULL,
    .render = render_images,
    .user_data = NULL,
  };

  if (registrar->api_version != PORTHOLE_PLUGIN_API_VERSION)
    {
      *error_message = strdup ("unexpected plugin API version");
      return 1;
    }

  registrar->add_detail_section (registrar, &section);
  return 0;
}
