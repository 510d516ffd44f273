/* ph-plugin-manifest.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "ph-plugin-error.h"
#include "ph-plugin-manifest.h"
#include "ph-semver.h"

#define MAX_MANIFEST_SIZE (256 * 1024)

gboolean
ph_plugin_name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL)
    return FALSE;

  len = strlen (name);
  if (len == 0 || len > 64)
    return FALSE;
  if (!g_ascii_islower (name[0]) && !g_ascii_isdigit (name[0]))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_islower (name[i]) && !g_ascii_isdigit (name[i]) && name[i] != '-')
      return FALSE;

  return TRUE;
}

static gboolean
bad (GError    **error,
     const char *where,
     const char *field,
     const char *what)
{
  g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_MANIFEST,
               "%s: %s: %s", where, field, what);
  return FALSE;
}

static const char *
get_string (JsonObject  *object,
            const char  *member,
            gboolean     required,
            const char  *where,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *field = g_strdup_printf ("$.%s", member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        bad (error, where, field, "missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      bad (error, where, field, "expected a string");
      return NULL;
    }

  return json_node_get_string (node);
}

/* Contribution paths stay inside the plugin folder. */
static gboolean
relative_path_is_safe (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || *path == '\0' || g_path_is_absolute (path))
    return FALSE;

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], "..") == 0)
      return FALSE;

  return TRUE;
}

PhPluginManifest *
ph_plugin_manifest_parse (const char  *data,
                          gssize       length,
                          const char  *where,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PhPluginManifest) self = NULL;
  g_autoptr(PhSemver) version = NULL;
  g_autoptr(PhSemverRange) range = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *contributes;
  const char *s;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_MANIFEST,
                   "%s: not valid JSON: %s", where, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      bad (error, where, "$", "expected an object");
      return NULL;
    }
  object = json_node_get_object (root);
  self = g_new0 (PhPluginManifest, 1);

  if ((s = get_string (object, "name", TRUE, where, error)) == NULL)
    return NULL;
  if (!ph_plugin_name_is_valid (s))
    {
      g_autofree char *what = g_strdup_printf ("“%s” does not match ^[a-z0-9][a-z0-9-]{0,63}$", s);
      bad (error, where, "$.name", what);
      return NULL;
    }
  self->name = g_strdup (s);

  if ((s = get_string (object, "version", TRUE, where, error)) == NULL)
    return NULL;
  if ((version = ph_semver_parse (s, &local_error)) == NULL)
    {
      bad (error, where, "$.version", local_error->message);
      return NULL;
    }
  self->version = ph_semver_to_string (version);

  if ((s = get_string (object, "title", TRUE, where, error)) == NULL)
    return NULL;
  self->title = g_strdup (s);

  s = get_string (object, "description", FALSE, where, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  self->description = g_strdup (s ? s : "");

  if ((s = get_string (object, "versionCompat", TRUE, where, error)) == NULL)
    return NULL;
  if ((range = ph_semver_range_parse (s, FALSE, &local_error)) == NULL)
    {
      bad (error, where, "$.versionCompat", local_error->message);
      return NULL;
    }
  self->version_compat = g_strdup (s);

  contributes = json_object_get_member (object, "contributes");
  if (contributes != NULL)
    {
      JsonObject *c;
      JsonNode *views;
      JsonNode *module;

      if (!JSON_NODE_HOLDS_OBJECT (contributes))
        {
          bad (error, where, "$.contributes", "expected an object");
          return NULL;
        }
      c = json_node_get_object (contributes);

      views = json_object_get_member (c, "views");
      if (views != NULL)
        {
          JsonArray *array;
          g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

          if (!JSON_NODE_HOLDS_ARRAY (views))
            {
              bad (error, where, "$.contributes.views", "expected an array of paths");
              return NULL;
            }
          array = json_node_get_array (views);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);
              g_autofree char *field = g_strdup_printf ("$.contributes.views[%u]", i);

              if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING ||
                  !relative_path_is_safe (json_node_get_string (item)))
                {
                  bad (error, where, field, "expected a relative path inside the plugin folder");
                  return NULL;
                }
              g_ptr_array_add (list, g_strdup (json_node_get_string (item)));
            }
          g_ptr_array_add (list, NULL);
          self->views = (char **) g_ptr_array_free (g_steal_pointer (&list), FALSE);
        }

      module = json_object_get_member (c, "module");
      if (module != NULL)
        {
          if (!JSON_NODE_HOLDS_VALUE (module) || json_node_get_value_type (module) != G_TYPE_STRING ||
              !relative_path_is_safe (json_node_get_string (module)))
            {
              bad (error, where, "$.contributes.module", "expected a relative path inside the plugin folder");
              return NULL;
            }
          self->module = g_strdup (json_node_get_string (module));
        }
    }

  if (self->views == NULL)
    self->views = g_new0 (char *, 1);

  return g_steal_pointer (&self);
}

PhPluginManifest *
ph_plugin_manifest_load (const char  *folder,
                         GError     **error)
{
  g_autofree char *path = g_build_filename (folder, "plugin.json", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  GStatBuf st;

  g_return_val_if_fail (folder != NULL, NULL);

  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_MANIFEST,
                   "%s: missing or not a regular file", path);
      return NULL;
    }
  if (st.st_size > MAX_MANIFEST_SIZE)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_MANIFEST,
                   "%s: larger than %d bytes", path, MAX_MANIFEST_SIZE);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return ph_plugin_manifest_parse (contents, length, path, error);
}

void
ph_plugin_manifest_free (PhPluginManifest *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->version);
  g_free (self->title);
  g_free (self->description);
  g_free (self->version_compat);
  g_strfreev (self->views);
  g_free (self->module);
  g_free (self);
}

gboolean
ph_plugin_manifest_is_compatible (const PhPluginManifest *self,
                                  const char             *porthole_version)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return ph_semver_satisfies (porthole_version, self->version_compat, FALSE);
}
