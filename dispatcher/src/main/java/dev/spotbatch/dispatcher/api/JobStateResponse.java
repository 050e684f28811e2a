package dev.spotbatch.dispatcher.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Documents the 409 of a job action that the job's state forbids (cancel an ended job, retry one
 * that is not FAILED), answered as problem+json ({@link ProblemHandler}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(
    responseCode = "409",
    content =
        @Content(
            mediaType = ProblemHandler.MEDIA_TYPE,
            schema = @Schema(ref = ProblemHandler.SCHEMA_REF),
            examples =
                @ExampleObject(
                    name = "job-state",
                    ref = ProblemHandler.EXAMPLES_REF + "job-state")))
@interface JobStateResponse {
  /** Which state forbids the action, e.g. "The job is not FAILED". */
  @AliasFor(annotation = ApiResponse.class, attribute = "description")
  String value();
}
