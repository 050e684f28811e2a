package dev.spotbatch.dispatcher.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents the 404 of an endpoint under {@code /api/v1/jobs/{id}}: no job has this id, answered as
 * problem+json ({@link ProblemHandler}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(
    responseCode = "404",
    description = "No job has this id",
    content =
        @Content(
            mediaType = ProblemHandler.MEDIA_TYPE,
            schema = @Schema(ref = ProblemHandler.SCHEMA_REF),
            examples =
                @ExampleObject(
                    name = "job-not-found",
                    ref = ProblemHandler.EXAMPLES_REF + "job-not-found")))
@interface JobNotFoundResponse {}
