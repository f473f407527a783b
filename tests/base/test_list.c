/* SPDX-License-Identifier: MIT */
/* base/list.h: the intrusive list. */
#include "base/list.h"

#include <criterion/criterion.h>

struct item {
	int id;
	struct qb_list node;
};

/* The ids on h, front to back, into out; returns how many. */
static int ids(const struct qb_list *h, int *out)
{
	const struct qb_list *n;
	int k = 0;

	for (n = h->next; n != h; n = n->next) {
		cr_assert_eq(n->next->prev, n, "broken back link");
		out[k++] = qb_list_entry(n, struct item, node)->id;
	}
	return k;
}

Test(list, empty)
{
	struct qb_list h;

	qb_list_init(&h);
	cr_assert(qb_list_empty(&h));
	cr_assert_null(qb_list_first(&h));
	cr_assert_not(qb_list_linked(&h));
}

Test(list, order_and_removal)
{
	struct item it[5];
	struct qb_list h;
	int got[5], i;

	qb_list_init(&h);
	for (i = 0; i < 5; i++) {
		it[i].id = i;
		qb_list_init(&it[i].node);
		cr_assert_not(qb_list_linked(&it[i].node));
	}
	qb_list_add_tail(&h, &it[1].node);
	qb_list_add_tail(&h, &it[2].node);
	qb_list_add_head(&h, &it[0].node);
	qb_list_insert_before(&it[2].node, &it[3].node);
	qb_list_add_tail(&h, &it[4].node);
	cr_assert_eq(ids(&h, got), 5);
	cr_assert_arr_eq(got, ((int[]){ 0, 1, 3, 2, 4 }), 5 * sizeof(int));
	cr_assert(qb_list_linked(&it[3].node));
	cr_assert_eq(qb_list_first(&h), &it[0].node);

	qb_list_del(&it[3].node); /* middle */
	qb_list_del(&it[3].node); /* twice: harmless */
	qb_list_del(&it[0].node); /* head */
	qb_list_del(&it[4].node); /* tail */
	cr_assert_not(qb_list_linked(&it[3].node));
	cr_assert_eq(ids(&h, got), 2);
	cr_assert_arr_eq(got, ((int[]){ 1, 2 }), 2 * sizeof(int));
	/* A removed node can go on another list. */
	qb_list_add_head(&h, &it[3].node);
	cr_assert_eq(ids(&h, got), 3);
	cr_assert_arr_eq(got, ((int[]){ 3, 1, 2 }), 3 * sizeof(int));
}

Test(list, del_of_a_zeroed_node_is_harmless)
{
	struct qb_list n = { 0 };

	qb_list_del(&n);
	cr_assert_not(qb_list_linked(&n));
}

Test(list, for_each_safe_removing)
{
	struct item it[6];
	struct qb_list h, *pos, *tmp;
	int got[6], i, seen = 0;

	qb_list_init(&h);
	for (i = 0; i < 6; i++) {
		it[i].id = i;
		qb_list_add_tail(&h, &it[i].node);
	}
	qb_list_for_each_safe (pos, tmp, &h) {
		struct item *x = qb_container_of(pos, struct item, node);

		seen++;
		if (x->id % 2)
			qb_list_del(pos);
	}
	cr_assert_eq(seen, 6);
	cr_assert_eq(ids(&h, got), 3);
	cr_assert_arr_eq(got, ((int[]){ 0, 2, 4 }), 3 * sizeof(int));
	qb_list_for_each_safe (pos, tmp, &h)
		qb_list_del(pos);
	cr_assert(qb_list_empty(&h));
}

Test(list, pop_takes_the_front_until_empty)
{
	struct item it[3];
	struct qb_list h, *n;
	int got[3];

	qb_list_init(&h);
	cr_assert_null(qb_list_pop(&h));
	for (int i = 0; i < 3; i++) {
		it[i].id = i;
		qb_list_add_tail(&h, &it[i].node);
	}
	n = qb_list_pop(&h);
	cr_assert_eq(n, &it[0].node);
	cr_assert_not(qb_list_linked(n), "a popped node is left initialised");
	cr_assert_eq(ids(&h, got), 2);
	cr_assert_arr_eq(got, ((int[]){ 1, 2 }), 2 * sizeof(int));
	cr_assert_eq(it[1].node.prev, &h, "the new front links back to the head");
	cr_assert_eq(h.prev, &it[2].node, "the tail link survives");
	cr_assert_eq(qb_list_pop(&h), &it[1].node);
	cr_assert_eq(qb_list_pop(&h), &it[2].node);
	cr_assert(qb_list_empty(&h));
	cr_assert_eq(h.prev, &h, "an emptied head links to itself both ways");
	cr_assert_null(qb_list_pop(&h));
}
