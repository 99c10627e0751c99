// Renders a review from the API's own types (src/api.d.ts, generated from /api/v2/openapi.json):
// no `any`, no `as`, no `!`. Strings the document marks text/plain are escaped; text/html
// (rich text) is inserted as the sanitized markup it is.
import type { components } from "./api.js";

type Schemas = components["schemas"];
export type PageResponse = Schemas["PageResponse"];
export type ReviewPage = Schemas["ReviewPage"];
export type Block = Schemas["Block"];
export type BodyItem = Schemas["Block"] | Schemas["UnknownBlock"];

/** Narrows a page response to a review: the document gives each page type a constant `meta.type`. */
export function isReview(page: PageResponse): page is ReviewPage {
  return page.meta?.type === "reviews.ReviewPage" && "body" in page && "grade" in page;
}

// Every block type this client knows; the compiler insists the list is complete.
const KNOWN_BLOCKS: Record<Block["type"], true> = {
  text: true,
  image: true,
  pull_quote: true,
  question_answer: true,
};

/** A block of a type added after these types were generated is an UnknownBlock: skip it. */
export function isKnownBlock(item: BodyItem): item is Block {
  return Object.hasOwn(KNOWN_BLOCKS, item.type);
}

export function escapeText(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

function image(img: Schemas["Image"] | null, alt: string): string {
  if (img === null) return "";
  const fallback = img.renditions.fallback;
  return `<img src="${escapeText(fallback.url)}" srcset="${escapeText(img.srcset)}" alt="${escapeText(alt)}" width="${fallback.width}" height="${fallback.height}">`;
}

export function renderBlock(block: Block): string {
  switch (block.type) {
    case "text":
      return `<div class="text">${block.value}</div>`;
    case "image": {
      const { value } = block;
      const caption = [value.caption, value.credit].filter((part) => part !== "").map(escapeText).join(" — ");
      return `<figure>${image(value.image, value.decorative ? "" : value.alt)}<figcaption>${caption}</figcaption></figure>`;
    }
    case "pull_quote":
      return `<blockquote>${escapeText(block.value.quote)}<cite>${escapeText(block.value.attribution)}</cite></blockquote>`;
    case "question_answer":
      return `<dl><dt>${escapeText(block.value.question)}</dt><dd>${block.value.answer}<span>${escapeText(block.value.speaker)}</span></dd></dl>`;
    default: {
      const unreachable: never = block;
      return unreachable;
    }
  }
}

export function renderAuthorBox(person: Schemas["Person"]): string {
  const links = Object.entries(person.links)
    .map(([platform, url]) => `<a href="${escapeText(url)}">${escapeText(platform)}</a>`)
    .join(" ");
  return `<aside class="author">${image(person.photo, person.name)}<h3>${escapeText(person.name)}</h3><p>${escapeText(person.bio)}</p>${links}</aside>`;
}

export function renderFilmBox(film: Schemas["Film"] | null): string {
  if (film === null) return "";
  const directors = film.directors.map((director) => escapeText(director.name)).join(", ");
  const runtime = film.runtime_minutes === null ? "" : ` · ${film.runtime_minutes} min`;
  return `<aside class="film">${image(film.poster, `Poster: ${film.title}`)}<h3>${escapeText(film.title)} (${film.year})</h3><p>${directors}${runtime}</p></aside>`;
}

export interface Rendered {
  html: string;
  blocks: Record<string, number>; // rendered blocks by type
  skipped: string[]; // types of blocks this client does not know
  authorBoxes: number;
  filmBox: boolean;
}

export function renderReview(review: ReviewPage): Rendered {
  const blocks: Record<string, number> = {};
  const skipped: string[] = [];
  const parts = [`<h1>${escapeText(review.title)}</h1><p class="grade">${review.grade}</p>`];
  for (const item of review.body) {
    if (!isKnownBlock(item)) {
      skipped.push(item.type);
      continue;
    }
    const html = renderBlock(item);
    if (html !== "") {
      blocks[item.type] = (blocks[item.type] ?? 0) + 1;
      parts.push(html);
    }
  }
  const authors = review.authors.map(renderAuthorBox);
  const film = renderFilmBox(review.film);
  return { html: [...parts, ...authors, film].join("\n"), blocks, skipped, authorBoxes: authors.length, filmBox: film !== "" };
}
