/* SPDX-License-Identifier: MIT */
/*
 * An intrusive doubly linked list: the node lives inside the object, so queuing never allocates
 * and an object can leave any list in O(1). A head is a node that links to itself when empty.
 */
#ifndef QB_LIST_H
#define QB_LIST_H

#include <stdbool.h>
#include <stddef.h>

#define qb_container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

struct qb_list {
	struct qb_list *prev, *next;
};

static inline void qb_list_init(struct qb_list *h)
{
	h->prev = h->next = h;
}

static inline bool qb_list_empty(const struct qb_list *h)
{
	return h->next == h;
}

/* True while n is on a list (n must have been initialised or removed with qb_list_del). */
static inline bool qb_list_linked(const struct qb_list *n)
{
	return n->next && n->next != n;
}

static inline void qb_list_insert_before(struct qb_list *pos, struct qb_list *n)
{
	n->next = pos;
	n->prev = pos->prev;
	pos->prev->next = n;
	pos->prev = n;
}

static inline void qb_list_add_tail(struct qb_list *h, struct qb_list *n)
{
	qb_list_insert_before(h, n);
}

static inline void qb_list_add_head(struct qb_list *h, struct qb_list *n)
{
	qb_list_insert_before(h->next, n);
}

/* Unlinks n and leaves it initialised, so removing twice is harmless. */
static inline void qb_list_del(struct qb_list *n)
{
	if (n->next) {
		n->prev->next = n->next;
		n->next->prev = n->prev;
	}
	qb_list_init(n);
}

/* The first node, or NULL when the list is empty. */
static inline struct qb_list *qb_list_first(const struct qb_list *h)
{
	return qb_list_empty(h) ? NULL : h->next;
}

/* Unlinks and returns the first node, or NULL when the list is empty. The head is updated
 * directly (not through n->prev), so a reader of h plainly sees n gone before n is freed. */
static inline struct qb_list *qb_list_pop(struct qb_list *h)
{
	struct qb_list *n = h->next;

	if (n == h)
		return NULL;
	h->next = n->next;
	n->next->prev = h;
	qb_list_init(n);
	return n;
}

#define qb_list_entry(node, type, member) qb_container_of(node, type, member)

/* Safe against removal of the current node. */
#define qb_list_for_each_safe(pos, tmp, head)                                                      \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);                           \
	     (pos) = (tmp), (tmp) = (pos)->next)

#endif
