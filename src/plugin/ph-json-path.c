/* ph-json-path.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ph-json-path.h"
#include "ph-plugin-error.h"

typedef enum {
  STEP_MEMBER,
  STEP_INDEX,
  STEP_WILDCARD,
} StepKind;

typedef struct {
  StepKind  kind;
  char     *member;
  gint64    index;
} Step;

struct _PhJsonPath {
  char   *text;
  GArray *steps;
};

static void
step_clear (gpointer data)
{
  Step *step = data;
  g_free (step->member);
}

static gboolean
syntax_error (GError    **error,
              const char *text,
              gsize       offset,
              const char *what)
{
  g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_VIEW,
               "Invalid JSONPath “%s”: %s at offset %" G_GSIZE_FORMAT, text, what, offset);
  return FALSE;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '/' || c == '$' || c == '@';
}

PhJsonPath *
ph_json_path_parse (const char  *expression,
                    GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autoptr(GArray) steps = NULL;
  PhJsonPath *self;
  const char *p, *start;
  gsize len;

  g_return_val_if_fail (expression != NULL, NULL);

  stripped = g_strstrip (g_strdup (expression));
  len = strlen (stripped);
  if (len >= 2 && stripped[0] == '{' && stripped[len - 1] == '}')
    {
      stripped[len - 1] = '\0';
      memmove (stripped, stripped + 1, len - 1);
      g_strstrip (stripped);
    }

  steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (steps, step_clear);

  start = stripped;
  p = stripped;
  if (*p == '$')
    p++;
  if (*p == '\0')
    {
      syntax_error (error, expression, 0, "empty path");
      return NULL;
    }

  while (*p != '\0')
    {
      Step step = { 0 };

      if (*p == '.')
        {
          const char *name;

          p++;
          if (*p == '*')
            {
              step.kind = STEP_WILDCARD;
              p++;
            }
          else if (*p == '.' )
            {
              syntax_error (error, expression, p - start, "recursive descent “..” is not supported");
              return NULL;
            }
          else
            {
              name = p;
              while (is_name_char (*p))
                p++;
              if (p == name)
                {
                  /* A lone "." selects the whole object, like kubectl. */
                  if (*p == '\0' && steps->len == 0)
                    break;
                  if (*p == '[')
                    continue;
                  syntax_error (error, expression, p - start, "expected a field name");
                  return NULL;
                }
              step.kind = STEP_MEMBER;
              step.member = g_strndup (name, p - name);
            }
        }
      else if (*p == '[')
        {
          p++;
          if (*p == '\'' || *p == '"')
            {
              char quote = *p++;
              const char *name = p;

              while (*p != '\0' && *p != quote)
                p++;
              if (*p != quote)
                {
                  syntax_error (error, expression, p - start, "unterminated quoted name");
                  return NULL;
                }
              step.kind = STEP_MEMBER;
              step.member = g_strndup (name, p - name);
              p++;
            }
          else if (*p == '*')
            {
              step.kind = STEP_WILDCARD;
              p++;
            }
          else
            {
              char *end = NULL;
              gint64 value = g_ascii_strtoll (p, &end, 10);

              if (end == p)
                {
                  syntax_error (error, expression, p - start,
                                "expected an index, “*” or a quoted name (filters and slices are not supported)");
                  return NULL;
                }
              step.kind = STEP_INDEX;
              step.index = value;
              p = end;
            }
          if (*p != ']')
            {
              syntax_error (error, expression, p - start, "expected “]”");
              return NULL;
            }
          p++;
        }
      else
        {
          /* kubectl accepts "metadata.name" without the leading dot. */
          if (steps->len == 0 && is_name_char (*p))
            {
              const char *name = p;
              while (is_name_char (*p))
                p++;
              step.kind = STEP_MEMBER;
              step.member = g_strndup (name, p - name);
            }
          else
            {
              g_autofree char *what = g_strdup_printf ("unexpected “%c”", *p);
              syntax_error (error, expression, p - start, what);
              return NULL;
            }
        }

      g_array_append_val (steps, step);
    }

  self = g_new0 (PhJsonPath, 1);
  self->text = g_strdup (expression);
  self->steps = g_steal_pointer (&steps);
  return self;
}

void
ph_json_path_free (PhJsonPath *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_array_unref (self->steps);
  g_free (self);
}

const char *
ph_json_path_get_text (PhJsonPath *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

static void
evaluate_step (PhJsonPath *self,
               guint       i,
               JsonNode   *node,
               GPtrArray  *out)
{
  const Step *step;

  if (node == NULL)
    return;
  if (i == self->steps->len)
    {
      g_ptr_array_add (out, node);
      return;
    }

  step = &g_array_index (self->steps, Step, i);
  switch (step->kind)
    {
    case STEP_MEMBER:
      if (JSON_NODE_HOLDS_OBJECT (node))
        evaluate_step (self, i + 1, json_object_get_member (json_node_get_object (node), step->member), out);
      break;

    case STEP_INDEX:
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          gint64 n = json_array_get_length (array);
          gint64 index = step->index < 0 ? n + step->index : step->index;

          if (index >= 0 && index < n)
            evaluate_step (self, i + 1, json_array_get_element (array, index), out);
        }
      break;

    case STEP_WILDCARD:
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint k = 0; k < json_array_get_length (array); k++)
            evaluate_step (self, i + 1, json_array_get_element (array, k), out);
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);
          g_autoptr(GList) members = json_object_get_members (object);

          for (GList *l = members; l != NULL; l = l->next)
            evaluate_step (self, i + 1, json_object_get_member (object, l->data), out);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

GPtrArray *
ph_json_path_evaluate (PhJsonPath *self,
                       JsonNode   *root)
{
  GPtrArray *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_ptr_array_new ();
  evaluate_step (self, 0, root, out);
  return out;
}

char *
ph_json_path_format (PhJsonPath *self,
                     JsonNode   *root)
{
  g_autoptr(GPtrArray) matches = NULL;
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  matches = ph_json_path_evaluate (self, root);
  if (matches->len == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < matches->len; i++)
    {
      JsonNode *node = g_ptr_array_index (matches, i);

      if (i > 0)
        g_string_append_c (out, ',');
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_string_append (out, json_node_get_string (node));
      else if (JSON_NODE_HOLDS_NULL (node))
        g_string_append (out, "<nil>");
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);
          g_string_append (out, text);
        }
    }

  return g_string_free (out, FALSE);
}
