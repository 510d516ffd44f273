/* ph-sim-selector.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "ph-sim-selector.h"

typedef enum {
  OP_EQUALS,
  OP_NOT_EQUALS,
  OP_IN,
  OP_NOT_IN,
  OP_EXISTS,
  OP_NOT_EXISTS,
} Op;

typedef struct {
  char  *key;
  Op     op;
  char **values;
} Requirement;

struct _PhSimSelector {
  gboolean  fields;       /* match against obj->fields, else obj->labels */
  GArray   *requirements;
};

static void
requirement_clear (gpointer data)
{
  Requirement *req = data;

  g_free (req->key);
  g_strfreev (req->values);
}

static PhSimSelector *
selector_new (gboolean fields)
{
  PhSimSelector *self = g_new0 (PhSimSelector, 1);

  self->fields = fields;
  self->requirements = g_array_new (FALSE, TRUE, sizeof (Requirement));
  g_array_set_clear_func (self->requirements, requirement_clear);

  return self;
}

void
ph_sim_selector_free (PhSimSelector *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->requirements);
  g_free (self);
}

gboolean
ph_sim_selector_is_empty (const PhSimSelector *self)
{
  return self == NULL || self->requirements->len == 0;
}

static void
skip_spaces (const char **p)
{
  while (**p == ' ')
    (*p)++;
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '/';
}

static gboolean
is_value_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.';
}

static char *
read_token (const char **p,
            gboolean   (*accept) (char))
{
  const char *start;

  skip_spaces (p);
  start = *p;
  while (**p != '\0' && accept (**p))
    (*p)++;

  return g_strndup (start, *p - start);
}

static gboolean
fail (GError    **error,
      const char *kind,
      const char *text,
      const char *at)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "unable to parse requirement: invalid %s selector \"%s\" at offset %d",
               kind, text, (int) (at - text));
  return FALSE;
}

static gboolean
parse_labels (PhSimSelector *self,
              const char    *text,
              GError       **error)
{
  const char *p = text;

  for (;;)
    {
      Requirement req = { 0 };

      skip_spaces (&p);
      if (*p == '\0')
        return TRUE;

      if (*p == '!')
        {
          p++;
          req.op = OP_NOT_EXISTS;
        }
      else
        req.op = OP_EXISTS;

      req.key = read_token (&p, is_key_char);
      if (req.key[0] == '\0')
        {
          g_free (req.key);
          return fail (error, "label", text, p);
        }
      skip_spaces (&p);

      if (req.op == OP_EXISTS)
        {
          if (p[0] == '=' || (p[0] == '!' && p[1] == '='))
            {
              if (p[0] == '!')
                {
                  req.op = OP_NOT_EQUALS;
                  p += 2;
                }
              else
                {
                  req.op = OP_EQUALS;
                  p += p[1] == '=' ? 2 : 1;
                }
              req.values = g_new0 (char *, 2);
              req.values[0] = read_token (&p, is_value_char);
            }
          else if (g_str_has_prefix (p, "in ") || g_str_has_prefix (p, "in(") ||
                   g_str_has_prefix (p, "notin ") || g_str_has_prefix (p, "notin("))
            {
              g_autoptr(GPtrArray) values = g_ptr_array_new ();

              req.op = p[0] == 'i' ? OP_IN : OP_NOT_IN;
              p += req.op == OP_IN ? 2 : 5;
              skip_spaces (&p);
              if (*p != '(')
                {
                  requirement_clear (&req);
                  return fail (error, "label", text, p);
                }
              p++;
              for (;;)
                {
                  g_ptr_array_add (values, read_token (&p, is_value_char));
                  skip_spaces (&p);
                  if (*p == ',')
                    {
                      p++;
                      continue;
                    }
                  if (*p == ')')
                    {
                      p++;
                      break;
                    }
                  g_ptr_array_add (values, NULL);
                  req.values = (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
                  requirement_clear (&req);
                  return fail (error, "label", text, p);
                }
              g_ptr_array_add (values, NULL);
              req.values = (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
            }
        }

      g_array_append_val (self->requirements, req);

      skip_spaces (&p);
      if (*p == ',')
        p++;
      else if (*p != '\0')
        return fail (error, "label", text, p);
    }
}

static gboolean
field_supported (const PhSimResource *resource,
                 const char          *label)
{
  if (strcmp (label, "metadata.name") == 0 ||
      strcmp (label, "metadata.namespace") == 0)
    return TRUE;

  for (guint i = 0; resource->field_labels[i] != NULL; i++)
    if (strcmp (resource->field_labels[i], label) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
parse_fields (PhSimSelector       *self,
              const char          *text,
              const PhSimResource *resource,
              GError             **error)
{
  g_auto(GStrv) terms = g_strsplit (text, ",", -1);

  for (guint i = 0; terms[i] != NULL; i++)
    {
      Requirement req = { 0 };
      const char *term = g_strstrip (terms[i]);
      const char *op;
      gsize op_len;

      if (*term == '\0')
        continue;

      if ((op = strstr (term, "!=")) != NULL)
        {
          req.op = OP_NOT_EQUALS;
          op_len = 2;
        }
      else if ((op = strstr (term, "==")) != NULL)
        {
          req.op = OP_EQUALS;
          op_len = 2;
        }
      else if ((op = strchr (term, '=')) != NULL)
        {
          req.op = OP_EQUALS;
          op_len = 1;
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "invalid field selector: '%s' is not of the form label=value",
                       term);
          return FALSE;
        }

      req.key = g_strstrip (g_strndup (term, op - term));
      if (!field_supported (resource, req.key))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "field label not supported: %s", req.key);
          g_free (req.key);
          return FALSE;
        }

      req.values = g_new0 (char *, 2);
      req.values[0] = g_strstrip (g_strdup (op + op_len));
      g_array_append_val (self->requirements, req);
    }

  return TRUE;
}

PhSimSelector *
ph_sim_selector_parse_labels (const char  *text,
                              GError     **error)
{
  g_autoptr(PhSimSelector) self = selector_new (FALSE);

  if (text != NULL && !parse_labels (self, text, error))
    return NULL;

  return g_steal_pointer (&self);
}

PhSimSelector *
ph_sim_selector_parse_fields (const char          *text,
                              const PhSimResource *resource,
                              GError             **error)
{
  g_autoptr(PhSimSelector) self = selector_new (TRUE);

  if (text != NULL && !parse_fields (self, text, resource, error))
    return NULL;

  return g_steal_pointer (&self);
}

static const char *
lookup_label (PhSimObj   *obj,
              const char *key)
{
  for (guint i = 0; obj->labels != NULL && obj->labels[i] != NULL; i += 2)
    if (strcmp (obj->labels[i], key) == 0)
      return obj->labels[i + 1];

  return NULL;
}

gboolean
ph_sim_selector_matches (const PhSimSelector *self,
                         PhSimObj            *obj)
{
  if (self == NULL)
    return TRUE;

  for (guint i = 0; i < self->requirements->len; i++)
    {
      const Requirement *req = &g_array_index (self->requirements, Requirement, i);
      const char *value;

      if (self->fields)
        value = ph_sim_obj_lookup_field (obj, req->key);
      else
        value = lookup_label (obj, req->key);

      switch (req->op)
        {
        case OP_EXISTS:
          if (value == NULL)
            return FALSE;
          break;

        case OP_NOT_EXISTS:
          if (value != NULL)
            return FALSE;
          break;

        case OP_EQUALS:
          if (g_strcmp0 (value, req->values[0]) != 0 &&
              !(self->fields && value == NULL && req->values[0][0] == '\0'))
            return FALSE;
          break;

        case OP_NOT_EQUALS:
          if (g_strcmp0 (value, req->values[0]) == 0 ||
              (self->fields && value == NULL && req->values[0][0] == '\0'))
            return FALSE;
          break;

        case OP_IN:
          if (value == NULL || !g_strv_contains ((const char * const *) req->values, value))
            return FALSE;
          break;

        case OP_NOT_IN:
          if (value != NULL && g_strv_contains ((const char * const *) req->values, value))
            return FALSE;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return TRUE;
}
