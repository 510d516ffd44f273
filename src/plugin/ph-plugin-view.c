/* ph-plugin-view.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <yaml.h>

#include "ph-plugin-error.h"
#include "ph-plugin-view.h"

#define MAX_VIEW_SIZE (256 * 1024)

struct _PhPluginView
{
  GObject    parent_instance;

  char      *plugin;
  char      *kind;
  char      *group;
  char      *version;
  char      *resource;
  char      *title;
  char      *sidebar_group;
  GPtrArray *columns;
  GPtrArray *details;
  gboolean   namespaced;
};

G_DEFINE_FINAL_TYPE (PhPluginView, ph_plugin_view, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PLUGIN,
  PROP_KIND,
  PROP_GROUP,
  PROP_VERSION,
  PROP_RESOURCE,
  PROP_NAMESPACED,
  PROP_TITLE,
  PROP_SIDEBAR_GROUP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
field_free (PhPluginField *field)
{
  g_free (field->name);
  ph_json_path_free (field->path);
  g_free (field);
}

static void
ph_plugin_view_finalize (GObject *object)
{
  PhPluginView *self = (PhPluginView *) object;

  g_free (self->plugin);
  g_free (self->kind);
  g_free (self->group);
  g_free (self->version);
  g_free (self->resource);
  g_free (self->title);
  g_free (self->sidebar_group);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->details, g_ptr_array_unref);

  G_OBJECT_CLASS (ph_plugin_view_parent_class)->finalize (object);
}

static void
ph_plugin_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PhPluginView *self = PH_PLUGIN_VIEW (object);

  switch (prop_id)
    {
    case PROP_PLUGIN: g_value_set_string (value, self->plugin); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_GROUP: g_value_set_string (value, self->group); break;
    case PROP_VERSION: g_value_set_string (value, self->version); break;
    case PROP_RESOURCE: g_value_set_string (value, self->resource); break;
    case PROP_NAMESPACED: g_value_set_boolean (value, self->namespaced); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_SIDEBAR_GROUP: g_value_set_string (value, self->sidebar_group); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_plugin_view_class_init (PhPluginViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ph_plugin_view_finalize;
  object_class->get_property = ph_plugin_view_get_property;

  properties[PROP_PLUGIN] = g_param_spec_string ("plugin", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_GROUP] = g_param_spec_string ("group", NULL, NULL, NULL, flags);
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  properties[PROP_RESOURCE] = g_param_spec_string ("resource", NULL, NULL, NULL, flags);
  properties[PROP_NAMESPACED] = g_param_spec_boolean ("namespaced", NULL, NULL, TRUE, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_SIDEBAR_GROUP] = g_param_spec_string ("sidebar-group", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ph_plugin_view_init (PhPluginView *self)
{
  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  self->details = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  self->namespaced = TRUE;
}

/* YAML helpers: errors name the file, the line and the field. */

typedef struct {
  yaml_document_t *doc;
  const char      *where;
} Ctx;

static gboolean
view_error (Ctx         *ctx,
            yaml_node_t *node,
            const char  *field,
            const char  *what,
            GError     **error)
{
  g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_VIEW,
               "%s:%lu: %s: %s", ctx->where,
               node ? (unsigned long) node->start_mark.line + 1 : 1UL, field, what);
  return FALSE;
}

static yaml_node_t *
map_get (Ctx         *ctx,
         yaml_node_t *map,
         const char  *key)
{
  for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *k = yaml_document_get_node (ctx->doc, pair->key);

      if (k != NULL && k->type == YAML_SCALAR_NODE &&
          strcmp ((const char *) k->data.scalar.value, key) == 0)
        return yaml_document_get_node (ctx->doc, pair->value);
    }

  return NULL;
}

static gboolean
get_scalar (Ctx          *ctx,
            yaml_node_t  *map,
            const char   *key,
            const char   *parent,
            gboolean      required,
            char        **out,
            GError      **error)
{
  yaml_node_t *node = map_get (ctx, map, key);
  g_autofree char *field = g_strdup_printf ("%s.%s", parent, key);

  if (node == NULL)
    {
      if (required)
        return view_error (ctx, map, field, "missing", error);
      return TRUE;
    }
  if (node->type != YAML_SCALAR_NODE)
    return view_error (ctx, node, field, "expected a text value", error);

  *out = g_strndup ((const char *) node->data.scalar.value, node->data.scalar.length);
  return TRUE;
}

static gboolean
parse_fields (Ctx          *ctx,
              yaml_node_t  *root,
              const char   *key,
              GPtrArray    *out,
              GError      **error)
{
  yaml_node_t *list = map_get (ctx, root, key);
  g_autofree char *field = g_strdup_printf ("$.%s", key);
  guint i = 0;

  if (list == NULL)
    return TRUE;
  if (list->type != YAML_SEQUENCE_NODE)
    return view_error (ctx, list, field, "expected a list", error);

  for (yaml_node_item_t *item = list->data.sequence.items.start; item < list->data.sequence.items.top; item++, i++)
    {
      yaml_node_t *entry = yaml_document_get_node (ctx->doc, *item);
      g_autofree char *entry_field = g_strdup_printf ("%s[%u]", field, i);
      g_autofree char *name = NULL;
      g_autofree char *expression = NULL;
      g_autoptr(GError) local_error = NULL;
      PhPluginField *f;

      if (entry == NULL || entry->type != YAML_MAPPING_NODE)
        return view_error (ctx, entry, entry_field, "expected a mapping with name and jsonPath", error);
      if (!get_scalar (ctx, entry, "name", entry_field, TRUE, &name, error) ||
          !get_scalar (ctx, entry, "jsonPath", entry_field, TRUE, &expression, error))
        return FALSE;

      f = g_new0 (PhPluginField, 1);
      f->path = ph_json_path_parse (expression, &local_error);
      if (f->path == NULL)
        {
          g_autofree char *jp_field = g_strdup_printf ("%s.jsonPath", entry_field);
          g_free (f);
          return view_error (ctx, map_get (ctx, entry, "jsonPath"), jp_field, local_error->message, error);
        }
      f->name = g_steal_pointer (&name);
      g_ptr_array_add (out, f);
    }

  return TRUE;
}

PhPluginView *
ph_plugin_view_new_from_data (const char  *plugin,
                              const char  *where,
                              const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(PhPluginView) self = NULL;
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_node_t *root;
  g_autofree char *namespaced = NULL;
  yaml_node_t *sidebar;
  Ctx ctx = { &doc, where };
  gboolean ok = FALSE;

  g_return_val_if_fail (plugin != NULL, NULL);
  g_return_val_if_fail (where != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  yaml_parser_initialize (&parser);
  yaml_parser_set_input_string (&parser, (const unsigned char *) data, length);
  if (!yaml_parser_load (&parser, &doc))
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_VIEW,
                   "%s:%lu: not valid YAML: %s", where,
                   (unsigned long) parser.problem_mark.line + 1, parser.problem ? parser.problem : "error");
      yaml_parser_delete (&parser);
      return NULL;
    }
  yaml_parser_delete (&parser);

  self = g_object_new (PH_TYPE_PLUGIN_VIEW, NULL);
  self->plugin = g_strdup (plugin);

  root = yaml_document_get_root_node (&doc);
  if (root == NULL || root->type != YAML_MAPPING_NODE)
    {
      view_error (&ctx, root, "$", "expected a mapping", error);
      goto out;
    }

  if (!get_scalar (&ctx, root, "kind", "$", TRUE, &self->kind, error) ||
      !get_scalar (&ctx, root, "group", "$", FALSE, &self->group, error) ||
      !get_scalar (&ctx, root, "version", "$", TRUE, &self->version, error) ||
      !get_scalar (&ctx, root, "resource", "$", TRUE, &self->resource, error) ||
      !get_scalar (&ctx, root, "title", "$", FALSE, &self->title, error) ||
      !get_scalar (&ctx, root, "namespaced", "$", FALSE, &namespaced, error))
    goto out;

  if (self->group == NULL)
    self->group = g_strdup ("");
  if (self->title == NULL)
    self->title = g_strdup (self->kind);
  if (namespaced != NULL)
    {
      if (strcmp (namespaced, "true") == 0)
        self->namespaced = TRUE;
      else if (strcmp (namespaced, "false") == 0)
        self->namespaced = FALSE;
      else
        {
          view_error (&ctx, map_get (&ctx, root, "namespaced"), "$.namespaced", "expected true or false", error);
          goto out;
        }
    }

  sidebar = map_get (&ctx, root, "sidebar");
  if (sidebar != NULL)
    {
      if (sidebar->type != YAML_MAPPING_NODE)
        {
          view_error (&ctx, sidebar, "$.sidebar", "expected a mapping", error);
          goto out;
        }
      if (!get_scalar (&ctx, sidebar, "group", "$.sidebar", FALSE, &self->sidebar_group, error))
        goto out;
    }
  if (self->sidebar_group == NULL)
    self->sidebar_group = g_strdup ("Custom Resources");

  if (!parse_fields (&ctx, root, "columns", self->columns, error) ||
      !parse_fields (&ctx, root, "details", self->details, error))
    goto out;

  ok = TRUE;

out:
  yaml_document_delete (&doc);
  return ok ? g_steal_pointer (&self) : NULL;
}

PhPluginView *
ph_plugin_view_new_from_file (const char  *plugin,
                              const char  *path,
                              GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (length > MAX_VIEW_SIZE)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_VIEW,
                   "%s: larger than %d bytes", path, MAX_VIEW_SIZE);
      return NULL;
    }

  return ph_plugin_view_new_from_data (plugin, path, contents, length, error);
}

const char *
ph_plugin_view_get_plugin (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  return self->plugin;
}

const char *
ph_plugin_view_get_kind (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  return self->kind;
}

const char *
ph_plugin_view_get_group (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  return self->group;
}

const char *
ph_plugin_view_get_version (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  return self->version;
}

const char *
ph_plugin_view_get_resource (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  return self->resource;
}

gboolean
ph_plugin_view_get_namespaced (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), FALSE);
  return self->namespaced;
}

const char *
ph_plugin_view_get_title (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  return self->title;
}

const char *
ph_plugin_view_get_sidebar_group (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  return self->sidebar_group;
}

GPtrArray *
ph_plugin_view_get_columns (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  return self->columns;
}

GPtrArray *
ph_plugin_view_get_details (PhPluginView *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  return self->details;
}

GStrv
ph_plugin_view_format_row (PhPluginView *self,
                           JsonNode     *object)
{
  GStrv row;

  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);

  row = g_new0 (char *, self->columns->len + 1);
  for (guint i = 0; i < self->columns->len; i++)
    {
      PhPluginField *field = g_ptr_array_index (self->columns, i);
      char *text = ph_json_path_format (field->path, object);

      row[i] = text ? text : g_strdup ("<none>");
    }

  return row;
}

GStrv
ph_plugin_view_format_row_json (PhPluginView *self,
                                GBytes       *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length;
  const char *data;

  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);
  g_return_val_if_fail (json != NULL, NULL);

  data = g_bytes_get_data (json, &length);
  if (data == NULL || !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;

  return ph_plugin_view_format_row (self, json_parser_get_root (parser));
}

GStrv
ph_plugin_view_format_details (PhPluginView *self,
                               JsonNode     *object)
{
  GStrv pairs;

  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (self), NULL);

  pairs = g_new0 (char *, 2 * self->details->len + 1);
  for (guint i = 0; i < self->details->len; i++)
    {
      PhPluginField *field = g_ptr_array_index (self->details, i);
      char *text = ph_json_path_format (field->path, object);

      pairs[2 * i] = g_strdup (field->name);
      pairs[2 * i + 1] = text ? text : g_strdup ("<none>");
    }

  return pairs;
}
