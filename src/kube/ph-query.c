/* ph-query.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-cluster.h"
#include "ph-query.h"

struct _PhQuery
{
  gatomicrefcount  ref_count;
  PhCluster       *cluster;
  char            *group;
  char            *version;
  char            *resource;
  char            *namespace_;
  char            *label_selector;
  char            *field_selector;
  guint            hash;
};

G_DEFINE_BOXED_TYPE (PhQuery, ph_query, ph_query_ref, ph_query_unref)

/* Empty selectors select everything, like absent ones: normalise so both
 * spellings share one upstream watch. */
static char *
dup_nonempty (const char *str)
{
  return (str != NULL && *str != '\0') ? g_strdup (str) : NULL;
}

PhQuery *
ph_query_new (PhCluster  *cluster,
              const char *group,
              const char *version,
              const char *resource,
              const char *namespace_,
              const char *label_selector,
              const char *field_selector)
{
  PhQuery *self;
  guint h;

  g_return_val_if_fail (cluster == NULL || PH_IS_CLUSTER (cluster), NULL);
  g_return_val_if_fail (version != NULL && *version != '\0', NULL);
  g_return_val_if_fail (resource != NULL && *resource != '\0', NULL);

  self = g_new0 (PhQuery, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->cluster = cluster ? g_object_ref (cluster) : NULL;
  self->group = g_strdup (group ? group : "");
  self->version = g_strdup (version);
  self->resource = g_strdup (resource);
  self->namespace_ = dup_nonempty (namespace_);
  self->label_selector = dup_nonempty (label_selector);
  self->field_selector = dup_nonempty (field_selector);

  h = g_direct_hash (self->cluster);
  h = h * 31 + g_str_hash (self->group);
  h = h * 31 + g_str_hash (self->version);
  h = h * 31 + g_str_hash (self->resource);
  h = h * 31 + (self->namespace_ ? g_str_hash (self->namespace_) : 7);
  h = h * 31 + (self->label_selector ? g_str_hash (self->label_selector) : 11);
  h = h * 31 + (self->field_selector ? g_str_hash (self->field_selector) : 13);
  self->hash = h;

  return self;
}

PhQuery *
ph_query_ref (PhQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ph_query_unref (PhQuery *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_object (&self->cluster);
  g_free (self->group);
  g_free (self->version);
  g_free (self->resource);
  g_free (self->namespace_);
  g_free (self->label_selector);
  g_free (self->field_selector);
  g_free (self);
}

guint
ph_query_hash (gconstpointer self)
{
  return ((const PhQuery *) self)->hash;
}

gboolean
ph_query_equal (gconstpointer a,
                gconstpointer b)
{
  const PhQuery *qa = a;
  const PhQuery *qb = b;

  if (qa == qb)
    return TRUE;
  return qa->hash == qb->hash &&
         qa->cluster == qb->cluster &&
         strcmp (qa->group, qb->group) == 0 &&
         strcmp (qa->version, qb->version) == 0 &&
         strcmp (qa->resource, qb->resource) == 0 &&
         g_strcmp0 (qa->namespace_, qb->namespace_) == 0 &&
         g_strcmp0 (qa->label_selector, qb->label_selector) == 0 &&
         g_strcmp0 (qa->field_selector, qb->field_selector) == 0;
}

PhCluster *
ph_query_get_cluster (PhQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->cluster;
}

const char *
ph_query_get_group (PhQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->group;
}

const char *
ph_query_get_version (PhQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->version;
}

const char *
ph_query_get_resource (PhQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->resource;
}

const char *
ph_query_get_namespace (PhQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->namespace_;
}

const char *
ph_query_get_label_selector (PhQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->label_selector;
}

const char *
ph_query_get_field_selector (PhQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->field_selector;
}

char *
ph_query_build_path (PhQuery *self)
{
  GString *path;

  g_return_val_if_fail (self != NULL, NULL);

  path = g_string_new (NULL);
  if (*self->group == '\0')
    g_string_append_printf (path, "/api/%s", self->version);
  else
    g_string_append_printf (path, "/apis/%s/%s", self->group, self->version);
  if (self->namespace_ != NULL)
    {
      g_autofree char *ns = g_uri_escape_string (self->namespace_, NULL, FALSE);
      g_string_append_printf (path, "/namespaces/%s", ns);
    }
  g_string_append_c (path, '/');
  g_string_append (path, self->resource);
  return g_string_free (path, FALSE);
}

char *
ph_query_build_selector_params (PhQuery *self)
{
  GString *params;

  g_return_val_if_fail (self != NULL, NULL);

  params = g_string_new (NULL);
  if (self->label_selector != NULL)
    {
      g_autofree char *l = g_uri_escape_string (self->label_selector, NULL, FALSE);
      g_string_append_printf (params, "&labelSelector=%s", l);
    }
  if (self->field_selector != NULL)
    {
      g_autofree char *f = g_uri_escape_string (self->field_selector, NULL, FALSE);
      g_string_append_printf (params, "&fieldSelector=%s", f);
    }
  return g_string_free (params, FALSE);
}

char *
ph_query_to_string (PhQuery *self)
{
  GString *str;
  const char *context;

  g_return_val_if_fail (self != NULL, NULL);

  context = self->cluster ? ph_cluster_get_context_name (self->cluster) : "-";
  str = g_string_new (context);
  g_string_append_c (str, '/');
  g_string_append (str, self->resource);
  if (*self->group != '\0')
    g_string_append_printf (str, ".%s", self->group);
  g_string_append_c (str, '@');
  g_string_append (str, self->namespace_ ? self->namespace_ : "*");
  if (self->label_selector != NULL || self->field_selector != NULL)
    {
      /* "?l=…&f=…" keeps log lines short. */
      g_string_append_c (str, '?');
      if (self->label_selector != NULL)
        {
          g_autofree char *l = g_uri_escape_string (self->label_selector, NULL, FALSE);
          g_string_append_printf (str, "l=%s", l);
        }
      if (self->field_selector != NULL)
        {
          g_autofree char *f = g_uri_escape_string (self->field_selector, NULL, FALSE);
          g_string_append_printf (str, "%sf=%s", self->label_selector ? "&" : "", f);
        }
    }
  return g_string_free (str, FALSE);
}
