/* ph-json-util.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <yaml.h>

#include "ph-json-util.h"

JsonNode *
ph_json_lookup (JsonNode   *root,
                const char *path)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = root;

  g_return_val_if_fail (path != NULL, NULL);

  if (root == NULL)
    return NULL;

  parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;

      object = json_node_get_object (node);
      node = json_object_get_member (object, parts[i]);
      if (node == NULL)
        return NULL;
    }

  return node;
}

static void
append_scalar (GString  *out,
               JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      g_string_append (out, json_node_get_string (node));
      break;

    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;

    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append (out, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
      break;

    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;

    default:
      break;
    }
}

char *
ph_json_lookup_display (JsonNode   *root,
                        const char *path)
{
  JsonNode *node = ph_json_lookup (root, path);
  g_autoptr(GString) out = g_string_new (NULL);

  if (node == NULL)
    return g_strdup ("");

  if (JSON_NODE_HOLDS_VALUE (node))
    append_scalar (out, node);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element))
            continue;
          if (out->len > 0)
            g_string_append (out, ", ");
          append_scalar (out, element);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
write_handler (void          *data,
               unsigned char *buffer,
               size_t         size)
{
  g_string_append_len (data, (const char *) buffer, size);
  return 1;
}

/* Strings that a YAML reader would take for something else (a number, a
 * boolean, null, a date) must be quoted to read back as strings. */
static gboolean
needs_quotes (const char *s)
{
  static const char * const special[] = {
    "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
  };
  char *end = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (special); i++)
    if (g_str_equal (s, special[i]))
      return TRUE;

  g_ascii_strtod (s, &end);
  if (end != NULL && end != s && *end == '\0')
    return TRUE;

  /* Timestamps and octal-looking values like 0755. */
  if (g_ascii_isdigit (s[0]) && (strchr (s, '-') != NULL || strchr (s, ':') != NULL))
    return TRUE;

  return FALSE;
}

static gboolean
emit_scalar (yaml_emitter_t *emitter,
             const char     *value,
             gboolean        plain_ok)
{
  yaml_event_t event;
  yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;

  if (!plain_ok)
    style = strchr (value, '\n') != NULL ? YAML_LITERAL_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  else if (strchr (value, '\n') != NULL)
    style = YAML_LITERAL_SCALAR_STYLE;

  yaml_scalar_event_initialize (&event, NULL, NULL, (yaml_char_t *) value, strlen (value),
                                TRUE, TRUE, style);
  return yaml_emitter_emit (emitter, &event);
}

static gboolean
emit_node (yaml_emitter_t *emitter,
           JsonNode       *node)
{
  yaml_event_t event;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;

        yaml_mapping_start_event_initialize (&event, NULL, NULL, TRUE, YAML_BLOCK_MAPPING_STYLE);
        if (!yaml_emitter_emit (emitter, &event))
          return FALSE;

        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &member, &value))
          {
            if (!emit_scalar (emitter, member, !needs_quotes (member)) || !emit_node (emitter, value))
              return FALSE;
          }

        yaml_mapping_end_event_initialize (&event);
        return yaml_emitter_emit (emitter, &event);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        yaml_sequence_start_event_initialize (&event, NULL, NULL, TRUE,
                                              n == 0 ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
        if (!yaml_emitter_emit (emitter, &event))
          return FALSE;

        for (guint i = 0; i < n; i++)
          if (!emit_node (emitter, json_array_get_element (array, i)))
            return FALSE;

        yaml_sequence_end_event_initialize (&event);
        return yaml_emitter_emit (emitter, &event);
      }

    case JSON_NODE_NULL:
      return emit_scalar (emitter, "null", TRUE);

    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);

          return emit_scalar (emitter, s, !needs_quotes (s));
        }
      else
        {
          g_autoptr(GString) out = g_string_new (NULL);

          append_scalar (out, node);
          return emit_scalar (emitter, out->str, TRUE);
        }
    }
}

char *
ph_json_to_yaml (JsonNode  *node,
                 GError   **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  yaml_emitter_t emitter;
  yaml_event_t event;
  gboolean ok;

  g_return_val_if_fail (node != NULL, NULL);

  if (!yaml_emitter_initialize (&emitter))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot initialize the YAML emitter");
      return NULL;
    }

  yaml_emitter_set_output (&emitter, write_handler, out);
  yaml_emitter_set_unicode (&emitter, TRUE);
  yaml_emitter_set_width (&emitter, -1);
  yaml_emitter_set_indent (&emitter, 2);

  yaml_stream_start_event_initialize (&event, YAML_UTF8_ENCODING);
  ok = yaml_emitter_emit (&emitter, &event);
  if (ok)
    {
      yaml_document_start_event_initialize (&event, NULL, NULL, NULL, TRUE);
      ok = yaml_emitter_emit (&emitter, &event);
    }
  if (ok)
    ok = emit_node (&emitter, node);
  if (ok)
    {
      yaml_document_end_event_initialize (&event, TRUE);
      ok = yaml_emitter_emit (&emitter, &event);
    }
  if (ok)
    {
      yaml_stream_end_event_initialize (&event);
      ok = yaml_emitter_emit (&emitter, &event);
    }
  if (ok)
    ok = yaml_emitter_flush (&emitter);

  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write YAML: %s",
                   emitter.problem != NULL ? emitter.problem : "unknown emitter error");
      yaml_emitter_delete (&emitter);
      return NULL;
    }

  yaml_emitter_delete (&emitter);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
