import { z } from 'zod';
import type { SourceItem } from '../../src/core/mention.ts';
import { checkShape, toDate } from '../_api/shape.ts';

/**
 * Place Details of the Places API (New), `GET /v1/places/{id}` with a field mask: the place's
 * name, rating and up to five reviews (https://developers.google.com/maps/documentation/places/web-service/reference/rest/v1/places#Review).
 */
const localizedText = z.looseObject({ text: z.string(), languageCode: z.string().optional() });

const reviewSchema = z.looseObject({
  name: z.string().min(1),
  rating: z.number().optional(),
  text: localizedText.optional(),
  originalText: localizedText.optional(),
  publishTime: z.string().optional(),
  relativePublishTimeDescription: z.string().optional(),
  googleMapsUri: z.string().optional(),
  authorAttribution: z
    .looseObject({
      displayName: z.string().optional(),
      uri: z.string().optional(),
      photoUri: z.string().optional(),
    })
    .optional(),
});

export const placeSchema = z.looseObject({
  id: z.string().min(1),
  displayName: localizedText.optional(),
  rating: z.number().optional(),
  userRatingCount: z.number().optional(),
  googleMapsUri: z.string().optional(),
  reviews: z.array(reviewSchema).default([]),
});

export type Place = z.infer<typeof placeSchema>;
export type PlaceReview = z.infer<typeof reviewSchema>;

/** The fields we ask for: Google bills Place Details by the most expensive field in the mask. */
export const FIELD_MASK = 'id,displayName,rating,userRatingCount,googleMapsUri,reviews';

export function parsePlace(data: unknown, url: string): Place {
  return checkShape(placeSchema, data, { url, what: 'Google Places place details response' });
}

export function reviewToItem(review: PlaceReview, place: Place): SourceItem {
  // The original wording, in the reviewer's language; `text` may be Google's translation.
  const text = review.originalText ?? review.text;
  const placeName = place.displayName?.text;
  return {
    externalId: review.name,
    url: review.googleMapsUri ?? place.googleMapsUri,
    title: placeName ? `Review of ${placeName}` : undefined,
    content: text?.text,
    contentType: 'text',
    author: review.authorAttribution?.displayName
      ? { name: review.authorAttribution.displayName, url: review.authorAttribution.uri }
      : undefined,
    publishedAt: toDate(review.publishTime),
    rating: review.rating,
    ratingScale: 5,
    language: text?.languageCode?.slice(0, 2),
    threadId: place.id,
    raw: {
      ...review,
      place: { id: place.id, name: placeName, rating: place.rating, userRatingCount: place.userRatingCount },
    },
  };
}
