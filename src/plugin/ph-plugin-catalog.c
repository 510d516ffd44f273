/* ph-plugin-catalog.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "ph-plugin-catalog.h"
#include "ph-plugin-error.h"
#include "ph-plugin-fetch.h"
#include "ph-plugin-manifest.h"
#include "ph-semver.h"

#define MAX_INDEX_SIZE (8 * 1024 * 1024)

struct _PhCatalogPlugin
{
  GObject    parent_instance;

  char      *name;
  char      *title;
  char      *description;
  char      *catalog;
  GPtrArray *versions;  /* of PhCatalogVersion, newest first */
};

G_DEFINE_FINAL_TYPE (PhCatalogPlugin, ph_catalog_plugin, G_TYPE_OBJECT)

enum {
  PLUGIN_PROP_0,
  PLUGIN_PROP_NAME,
  PLUGIN_PROP_TITLE,
  PLUGIN_PROP_DESCRIPTION,
  PLUGIN_PROP_CATALOG,
  PLUGIN_N_PROPS
};

static GParamSpec *plugin_properties[PLUGIN_N_PROPS];

static void
catalog_version_free (PhCatalogVersion *v)
{
  g_free (v->version);
  g_free (v->version_compat);
  g_free (v->url);
  g_free (v->sha256);
  g_free (v->display_url);
  g_free (v);
}

static void
ph_catalog_plugin_finalize (GObject *object)
{
  PhCatalogPlugin *self = (PhCatalogPlugin *) object;

  g_free (self->name);
  g_free (self->title);
  g_free (self->description);
  g_free (self->catalog);
  g_clear_pointer (&self->versions, g_ptr_array_unref);

  G_OBJECT_CLASS (ph_catalog_plugin_parent_class)->finalize (object);
}

static void
ph_catalog_plugin_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PhCatalogPlugin *self = PH_CATALOG_PLUGIN (object);

  switch (prop_id)
    {
    case PLUGIN_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PLUGIN_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PLUGIN_PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PLUGIN_PROP_CATALOG:
      g_value_set_string (value, self->catalog);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_catalog_plugin_class_init (PhCatalogPluginClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ph_catalog_plugin_finalize;
  object_class->get_property = ph_catalog_plugin_get_property;

  plugin_properties[PLUGIN_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  plugin_properties[PLUGIN_PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  plugin_properties[PLUGIN_PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  plugin_properties[PLUGIN_PROP_CATALOG] =
    g_param_spec_string ("catalog", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, PLUGIN_N_PROPS, plugin_properties);
}

static void
ph_catalog_plugin_init (PhCatalogPlugin *self)
{
  self->versions = g_ptr_array_new_with_free_func ((GDestroyNotify) catalog_version_free);
}

const char *
ph_catalog_plugin_get_name (PhCatalogPlugin *self)
{
  g_return_val_if_fail (PH_IS_CATALOG_PLUGIN (self), NULL);
  return self->name;
}

const char *
ph_catalog_plugin_get_title (PhCatalogPlugin *self)
{
  g_return_val_if_fail (PH_IS_CATALOG_PLUGIN (self), NULL);
  return self->title;
}

const char *
ph_catalog_plugin_get_description (PhCatalogPlugin *self)
{
  g_return_val_if_fail (PH_IS_CATALOG_PLUGIN (self), NULL);
  return self->description;
}

const char *
ph_catalog_plugin_get_catalog (PhCatalogPlugin *self)
{
  g_return_val_if_fail (PH_IS_CATALOG_PLUGIN (self), NULL);
  return self->catalog;
}

guint
ph_catalog_plugin_get_n_versions (PhCatalogPlugin *self)
{
  g_return_val_if_fail (PH_IS_CATALOG_PLUGIN (self), 0);
  return self->versions->len;
}

const PhCatalogVersion *
ph_catalog_plugin_get_version (PhCatalogPlugin *self,
                               guint            index)
{
  g_return_val_if_fail (PH_IS_CATALOG_PLUGIN (self), NULL);
  g_return_val_if_fail (index < self->versions->len, NULL);
  return g_ptr_array_index (self->versions, index);
}

const PhCatalogVersion *
ph_catalog_plugin_find_version (PhCatalogPlugin *self,
                                const char      *version)
{
  g_autoptr(PhSemver) wanted = NULL;

  g_return_val_if_fail (PH_IS_CATALOG_PLUGIN (self), NULL);
  g_return_val_if_fail (version != NULL, NULL);

  wanted = ph_semver_parse (version, NULL);
  if (wanted == NULL)
    return NULL;

  for (guint i = 0; i < self->versions->len; i++)
    {
      const PhCatalogVersion *v = g_ptr_array_index (self->versions, i);
      g_autoptr(PhSemver) have = ph_semver_parse (v->version, NULL);

      if (ph_semver_version_compare (have, wanted) == 0)
        return v;
    }

  return NULL;
}

const PhCatalogVersion *
ph_catalog_plugin_find_compatible (PhCatalogPlugin *self,
                                   const char      *porthole_version)
{
  g_return_val_if_fail (PH_IS_CATALOG_PLUGIN (self), NULL);
  g_return_val_if_fail (porthole_version != NULL, NULL);

  for (guint i = 0; i < self->versions->len; i++)
    {
      const PhCatalogVersion *v = g_ptr_array_index (self->versions, i);

      if (ph_semver_satisfies (porthole_version, v->version_compat, FALSE))
        return v;
    }

  return NULL;
}

gboolean
ph_catalog_plugin_matches (PhCatalogPlugin *self,
                           const char      *term)
{
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;
  g_autofree char *joined = NULL;

  g_return_val_if_fail (PH_IS_CATALOG_PLUGIN (self), FALSE);

  if (term == NULL || *term == '\0')
    return TRUE;

  needle = g_utf8_casefold (term, -1);
  joined = g_strjoin ("\n", self->name, self->title, self->description, NULL);
  haystack = g_utf8_casefold (joined, -1);

  return strstr (haystack, needle) != NULL;
}

struct _PhPluginCatalog
{
  GObject    parent_instance;

  char      *uri;
  GPtrArray *plugins;
};

G_DEFINE_FINAL_TYPE (PhPluginCatalog, ph_plugin_catalog, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ph_plugin_catalog_finalize (GObject *object)
{
  PhPluginCatalog *self = (PhPluginCatalog *) object;

  g_free (self->uri);
  g_clear_pointer (&self->plugins, g_ptr_array_unref);

  G_OBJECT_CLASS (ph_plugin_catalog_parent_class)->finalize (object);
}

static void
ph_plugin_catalog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PhPluginCatalog *self = PH_PLUGIN_CATALOG (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_plugin_catalog_class_init (PhPluginCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ph_plugin_catalog_finalize;
  object_class->get_property = ph_plugin_catalog_get_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ph_plugin_catalog_init (PhPluginCatalog *self)
{
  self->plugins = g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
malformed (GError    **error,
           const char *uri,
           const char *path,
           const char *what)
{
  g_autofree char *shown = ph_plugin_uri_redact (uri);

  g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_MALFORMED,
               "Malformed catalog %s: %s: %s", shown, path, what);
  return FALSE;
}

/* Returns the string at @member or sets an error naming its JSON path. */
static const char *
require_string (JsonObject  *object,
                const char  *member,
                const char  *uri,
                const char  *parent_path,
                gboolean     optional,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *path = g_strdup_printf ("%s.%s", parent_path, member);

  if (node == NULL)
    {
      if (!optional)
        malformed (error, uri, path, "missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      malformed (error, uri, path, "expected a string");
      return NULL;
    }

  return json_node_get_string (node);
}

static gboolean
is_sha256_hex (const char *s)
{
  if (strlen (s) != 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static int
compare_versions_newest_first (gconstpointer a,
                               gconstpointer b)
{
  const PhCatalogVersion *va = *(PhCatalogVersion **) a;
  const PhCatalogVersion *vb = *(PhCatalogVersion **) b;

  return -ph_semver_compare (va->version, vb->version, NULL);
}

static gboolean
has_scheme (const char *uri,
            const char *scheme)
{
  g_autofree char *have = g_uri_parse_scheme (uri);

  return have != NULL && g_ascii_strcasecmp (have, scheme) == 0;
}

static gboolean
url_scheme_allowed (const char *catalog_uri,
                    const char *url)
{
  gboolean remote_catalog = has_scheme (catalog_uri, "http") || has_scheme (catalog_uri, "https");
  gboolean remote_url = has_scheme (url, "http") || has_scheme (url, "https");

  return remote_url || (!remote_catalog && has_scheme (url, "file"));
}

static PhCatalogVersion *
parse_version (JsonNode    *node,
               const char  *uri,
               const char  *path,
               GError     **error)
{
  JsonObject *object;
  JsonNode *archive_node;
  JsonObject *archive;
  g_autofree char *archive_path = g_strdup_printf ("%s.archive", path);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PhSemver) semver = NULL;
  g_autoptr(PhSemverRange) range = NULL;
  PhCatalogVersion *v;
  const char *version, *compat, *url, *sha256;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, uri, path, "expected an object");
      return NULL;
    }
  object = json_node_get_object (node);

  if ((version = require_string (object, "version", uri, path, FALSE, error)) == NULL)
    return NULL;
  if ((semver = ph_semver_parse (version, &local_error)) == NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s.version", path);
      malformed (error, uri, p, local_error->message);
      return NULL;
    }

  if ((compat = require_string (object, "versionCompat", uri, path, FALSE, error)) == NULL)
    return NULL;
  if ((range = ph_semver_range_parse (compat, FALSE, &local_error)) == NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s.versionCompat", path);
      malformed (error, uri, p, local_error->message);
      return NULL;
    }

  archive_node = json_object_get_member (object, "archive");
  if (archive_node == NULL || !JSON_NODE_HOLDS_OBJECT (archive_node))
    {
      malformed (error, uri, archive_path, archive_node ? "expected an object" : "missing");
      return NULL;
    }
  archive = json_node_get_object (archive_node);

  if ((url = require_string (archive, "url", uri, archive_path, FALSE, error)) == NULL)
    return NULL;
  if ((sha256 = require_string (archive, "sha256", uri, archive_path, FALSE, error)) == NULL)
    return NULL;
  if (!is_sha256_hex (sha256))
    {
      g_autofree char *p = g_strdup_printf ("%s.sha256", archive_path);
      malformed (error, uri, p, "expected 64 hexadecimal digits");
      return NULL;
    }

  v = g_new0 (PhCatalogVersion, 1);
  v->version = ph_semver_to_string (semver);
  v->version_compat = g_strdup (compat);
  v->sha256 = g_ascii_strdown (sha256, -1);
  v->url = g_uri_resolve_relative (uri, url, G_URI_FLAGS_NONE, &local_error);
  if (v->url == NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s.url", archive_path);
      malformed (error, uri, p, local_error->message);
      catalog_version_free (v);
      return NULL;
    }
  v->display_url = ph_plugin_uri_redact (v->url);

  /* A catalog from the network may not point into the local file system:
   * it could make Porthole read a device or a FIFO. */
  if (!url_scheme_allowed (uri, v->url))
    {
      g_autofree char *p = g_strdup_printf ("%s.url", archive_path);
      g_autofree char *what = g_strdup_printf ("“%s” is not an http:// or https:// URL, which a catalog "
                                               "served over the network must use", v->display_url);
      malformed (error, uri, p, what);
      catalog_version_free (v);
      return NULL;
    }

  return v;
}

static PhCatalogPlugin *
parse_plugin (JsonNode    *node,
              const char  *uri,
              const char  *path,
              GError     **error)
{
  g_autoptr(PhCatalogPlugin) plugin = NULL;
  g_autofree char *versions_path = g_strdup_printf ("%s.versions", path);
  JsonObject *object;
  JsonNode *versions;
  JsonArray *array;
  const char *s;
  g_autoptr(GError) local_error = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, uri, path, "expected an object");
      return NULL;
    }
  object = json_node_get_object (node);
  plugin = g_object_new (PH_TYPE_CATALOG_PLUGIN, NULL);
  plugin->catalog = ph_plugin_uri_redact (uri);

  if ((s = require_string (object, "name", uri, path, FALSE, error)) == NULL)
    return NULL;
  if (!ph_plugin_name_is_valid (s))
    {
      g_autofree char *p = g_strdup_printf ("%s.name", path);
      g_autofree char *what = g_strdup_printf ("“%s” does not match ^[a-z0-9][a-z0-9-]{0,63}$", s);
      malformed (error, uri, p, what);
      return NULL;
    }
  plugin->name = g_strdup (s);

  s = require_string (object, "title", uri, path, TRUE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  plugin->title = g_strdup (s ? s : plugin->name);

  s = require_string (object, "description", uri, path, TRUE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  plugin->description = g_strdup (s ? s : "");

  versions = json_object_get_member (object, "versions");
  if (versions == NULL || !JSON_NODE_HOLDS_ARRAY (versions))
    {
      malformed (error, uri, versions_path, versions ? "expected an array" : "missing");
      return NULL;
    }
  array = json_node_get_array (versions);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *p = g_strdup_printf ("%s[%u]", versions_path, i);
      PhCatalogVersion *v = parse_version (json_array_get_element (array, i), uri, p, error);

      if (v == NULL)
        return NULL;

      for (guint j = 0; j < plugin->versions->len; j++)
        {
          PhCatalogVersion *other = g_ptr_array_index (plugin->versions, j);

          if (strcmp (other->version, v->version) == 0)
            {
              g_autofree char *what = g_strdup_printf ("version %s is listed twice", v->version);
              catalog_version_free (v);
              malformed (error, uri, p, what);
              return NULL;
            }
        }
      g_ptr_array_add (plugin->versions, v);
    }

  g_ptr_array_sort (plugin->versions, compare_versions_newest_first);

  return g_steal_pointer (&plugin);
}

PhPluginCatalog *
ph_plugin_catalog_new_from_data (const char  *uri,
                                 const char  *data,
                                 gsize        length,
                                 GError     **error)
{
  g_autoptr(PhPluginCatalog) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *plugins;
  JsonArray *array;
  const char *api_version;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_autofree char *what = g_strdup_printf ("not valid JSON: %s", local_error->message);

      malformed (error, uri, "$", what);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      malformed (error, uri, "$", "expected an object");
      return NULL;
    }
  object = json_node_get_object (root);

  if ((api_version = require_string (object, "apiVersion", uri, "$", FALSE, error)) == NULL)
    return NULL;
  if (strcmp (api_version, PH_CATALOG_API_VERSION) != 0)
    {
      g_autofree char *shown = ph_plugin_uri_redact (uri);

      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNSUPPORTED,
                   "Catalog %s has apiVersion “%s”; this Porthole reads “%s”",
                   shown, api_version, PH_CATALOG_API_VERSION);
      return NULL;
    }

  plugins = json_object_get_member (object, "plugins");
  if (plugins == NULL || !JSON_NODE_HOLDS_ARRAY (plugins))
    {
      malformed (error, uri, "$.plugins", plugins ? "expected an array" : "missing");
      return NULL;
    }
  array = json_node_get_array (plugins);

  self = g_object_new (PH_TYPE_PLUGIN_CATALOG, NULL);
  self->uri = g_strdup (uri);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("$.plugins[%u]", i);
      PhCatalogPlugin *plugin = parse_plugin (json_array_get_element (array, i), uri, path, error);

      if (plugin == NULL)
        return NULL;

      if (ph_plugin_catalog_lookup (self, plugin->name) != NULL)
        {
          g_autofree char *what = g_strdup_printf ("plugin “%s” is listed twice", plugin->name);
          g_object_unref (plugin);
          malformed (error, uri, path, what);
          return NULL;
        }
      g_ptr_array_add (self->plugins, plugin);
    }

  return g_steal_pointer (&self);
}

PhPluginCatalog *
ph_plugin_catalog_load (const char    *location,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *uri = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (location != NULL, NULL);

  uri = ph_plugin_location_to_uri (location, error);
  if (uri == NULL)
    return NULL;

  bytes = ph_plugin_fetch_bytes (uri, MAX_INDEX_SIZE, cancellable, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_TOO_LARGE))
        {
          g_autofree char *what = g_strdup_printf ("larger than %d bytes", MAX_INDEX_SIZE);

          malformed (error, uri, "$", what);
        }
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  return ph_plugin_catalog_new_from_data (uri, data ? data : "", length, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  PhPluginCatalog *catalog = ph_plugin_catalog_load (task_data, cancellable, &error);

  if (catalog == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, catalog, g_object_unref);
}

void
ph_plugin_catalog_load_async (const char          *location,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (location != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ph_plugin_catalog_load_async);
  g_task_set_task_data (task, g_strdup (location), g_free);
  g_task_run_in_thread (task, load_thread);
}

PhPluginCatalog *
ph_plugin_catalog_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
ph_plugin_catalog_get_uri (PhPluginCatalog *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_CATALOG (self), NULL);
  return self->uri;
}

guint
ph_plugin_catalog_get_n_plugins (PhPluginCatalog *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_CATALOG (self), 0);
  return self->plugins->len;
}

PhCatalogPlugin *
ph_plugin_catalog_get_plugin (PhPluginCatalog *self,
                              guint            index)
{
  g_return_val_if_fail (PH_IS_PLUGIN_CATALOG (self), NULL);
  g_return_val_if_fail (index < self->plugins->len, NULL);
  return g_ptr_array_index (self->plugins, index);
}

PhCatalogPlugin *
ph_plugin_catalog_lookup (PhPluginCatalog *self,
                          const char      *name)
{
  g_return_val_if_fail (PH_IS_PLUGIN_CATALOG (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->plugins->len; i++)
    {
      PhCatalogPlugin *plugin = g_ptr_array_index (self->plugins, i);

      if (strcmp (plugin->name, name) == 0)
        return plugin;
    }

  return NULL;
}
